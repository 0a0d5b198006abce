"""Background work the bot does on its own: started and stopped with the app."""
