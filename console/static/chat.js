// Try the assistant and the webinars' public chat: messages go to the page's send URL (which
// forwards to Rasa's REST channel); replies and their buttons are shown as text nodes (never
// as HTML). A refusal the server explains (too many messages, chat closed, a choice no longer
// offered) is shown as it says it.
(function () {
  const box = document.getElementById("chat");
  const log = document.getElementById("chat-log");
  const input = document.getElementById("chat-input");

  function show(text, who, buttons) {
    const item = document.createElement("li");
    item.className = who;
    item.textContent = text;
    (buttons || []).forEach(function (b) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = b.title;
      button.addEventListener("click", function () { send(b.payload, b.title); });
      item.appendChild(document.createElement("br"));
      item.appendChild(button);
    });
    log.appendChild(item);
    item.scrollIntoView();
  }

  async function send(message, shown, quiet) {
    if (!quiet) show(shown || message, "me");
    try {
      const response = await fetch(box.dataset.sendUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": box.dataset.csrf },
        body: JSON.stringify({ message: message }),
      });
      const data = await response.json().catch(function () { return {}; });
      if (!response.ok) { show(data.message || box.dataset.error, "bot"); return; }
      data.replies.forEach(function (r) { show(r.text, "bot", r.buttons); });
    } catch (error) {
      show(box.dataset.error, "bot");
    }
  }

  // A webinar's public chat opens the conversation itself, as Telegram's deep link does.
  if (box.dataset.greet) send(box.dataset.greet, null, true);

  document.getElementById("chat-form").addEventListener("submit", function (event) {
    event.preventDefault();
    const message = input.value.trim();
    if (message) { input.value = ""; send(message); }
  });
})();
