"""The accounts: table rows → Fact records, the scorecard, the narrative figures, the identity checks and the JSON contract."""
