"""The edges of the app: OS keyring, progress file, (later) Twilio client and PDF."""
