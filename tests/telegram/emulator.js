// Starts the telegram-test-api Bot API emulator for the bridge's end-to-end tests,
// with shims for its known quirks (kept here, not in the bridge):
// getMe lacks `is_bot`; dates are in milliseconds; callback queries lack
// `chat_instance` and a complete `message`. It also plays a person who blocked the bot.
// Usage: node emulator.js PORT
const sendResultModule = require('telegram-test-api/lib/modules/sendResult');

function fix(value) {
  if (Array.isArray(value)) return value.map(fix);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [key, inner] of Object.entries(value)) out[key] = fix(inner);
  if (typeof out.date === 'number' && out.date > 1e11) out.date = Math.floor(out.date / 1000);
  if (out.username && out.first_name && out.id === 666 && out.is_bot === undefined) out.is_bot = true;
  if (out.callback_query) {
    const query = out.callback_query;
    query.chat_instance = query.chat_instance || String(query.from.id);
    query.message = {
      message_id: 1, date: Math.floor(Date.now() / 1000), chat: query.message && query.message.chat, ...query.message,
    };
  }
  return out;
}

const original = sendResultModule.sendResult;
sendResultModule.sendResult = (req, res, next) => {
  original(req, res, () => {
    const send = res.sendResult;
    res.sendResult = (data) => send(fix(data));
    next();
  });
};

const TelegramServer = require('telegram-test-api');

// A person who blocked the bot: Telegram refuses every message to that chat (403). Tests
// block a chat with POST /blockChat {"chatId": …}, to see one failing send delay no other.
const blocked = new Set();
require('telegram-test-api/lib/routes/index').routes.unshift((app) => {
  app.post('/blockChat', (req, res) => { blocked.add(String(req.body.chatId)); res.json({ ok: true }); });
  app.post('/bot:token/sendMessage', (req, res, next) => {
    if (!blocked.has(String(req.body.chat_id))) return next();
    return res.status(403).json({ ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' });
  });
});

(async () => {
  const server = new TelegramServer({ port: Number(process.argv[2] || 9000), host: '127.0.0.1', storeTimeout: 600 });
  await server.start();
  console.log(`emulator ready on ${server.config.apiURL}`);
  const stop = async () => { await server.stop(); process.exit(0); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
})();
