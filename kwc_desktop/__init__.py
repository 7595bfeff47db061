"""kwc-desktop: a guide through the transfer of KWC's Twilio accounts to Twilio Japan."""

__version__ = "0.1.0"
APP_NAME = "kwc-desktop"
