// The region sheet's print button (no inline script: the console's CSP forbids it).
document.getElementById("print-sheet").addEventListener("click", function () { window.print(); });
