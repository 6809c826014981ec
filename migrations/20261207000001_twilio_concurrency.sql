-- How many requests CallDeck may have in flight at once to the user's Twilio account (the
-- ceiling of its concurrency budget, which 429s lower and successes raise back to it).
ALTER TABLE sync_settings ADD COLUMN twilio_concurrency INTEGER NOT NULL DEFAULT 8 CHECK (twilio_concurrency BETWEEN 1 AND 32);
