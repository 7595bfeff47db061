"""The domain core: the migration program, accounts, rules and the checklist. No Qt here."""
