"""The Telegram bridge (`python -m bot`): python-telegram-bot 22 in front of the Rasa
server's REST channel. Rasa's own Telegram connector is not used."""
