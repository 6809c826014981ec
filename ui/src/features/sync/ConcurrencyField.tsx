import { useState } from "react";

const MIN = 1;
const MAX = 32;

/**
 * How many requests CallDeck may have in flight at once to the user's Twilio account.
 * Saved on leaving the field (or Enter) when it is a whole number from 1 to 32; anything
 * else is refused here with a sentence, and nothing is sent. The parent keys it by the saved
 * value, so a save (or another window's) resets the draft.
 */
export function ConcurrencyField({ value, onSave }: { value: number; onSave: (n: number) => void }) {
  const [draft, setDraft] = useState(String(value));
  const [error, setError] = useState<string | null>(null);

  const commit = () => {
    const text = draft.trim();
    const n = Number(text);
    if (text === "" || !Number.isInteger(n) || n < MIN || n > MAX) {
      setError(`Enter a whole number from ${MIN} to ${MAX}.`);
      return;
    }
    setError(null);
    if (n !== value) onSave(n);
  };

  return (
    <>
      <label htmlFor="twilio-concurrency">Concurrent requests to Twilio (1–32)</label>
      <input
        id="twilio-concurrency"
        type="number"
        inputMode="numeric"
        min={MIN}
        max={MAX}
        step={1}
        value={draft}
        aria-invalid={error !== null}
        aria-describedby="twilio-concurrency-note"
        data-testid="twilio-concurrency"
        onChange={(e) => {
          setDraft(e.target.value);
          setError(null);
        }}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter") commit();
        }}
      />
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
      <p id="twilio-concurrency-note" className="note">
        How many requests CallDeck sends to your Twilio account at once (8 unless you choose). When Twilio
        answers that the account is busy, CallDeck sends fewer by itself for a while; choose less if other apps
        use the same account.
      </p>
    </>
  );
}
