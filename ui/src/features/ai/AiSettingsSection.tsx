import "./ai.css";

import { useState, type FormEvent } from "react";

import type { AiSettings, AiSettingsInput, Engine, StoreKind } from "../../bindings";
import { useAiSettings, useSaveAiSettings } from "./api";
import { errorMessage } from "../../lib/errors";

const KEY_STORES: Record<StoreKind, string> = {
  keyring: "Saved in your keyring",
  file: "Saved in an owner-only file (no keyring service)",
  memory: "Kept in memory until CallDeck closes",
};

/** Settings → Transcripts & AI: the transcription engine and the OpenAI-compatible service. */
export function AiSettingsSection() {
  const settings = useAiSettings();
  return (
    <div className="settings" data-testid="ai-settings">
      <h2>Transcripts &amp; AI</h2>
      <p className="muted">
        Transcribe downloaded calls on this computer or with an OpenAI-compatible service, and let an AI summarise them.
      </p>
      {settings.isError && <p role="alert" className="error-text">{errorMessage(settings.error)}</p>}
      {settings.data && <AiSettingsForm saved={settings.data} />}
    </div>
  );
}

/** Empty fields are sent as none: the backend then keeps its defaults. */
const orNone = (text: string) => text.trim() || null;

/** The same service address, as the backend compares them (parsed, so `http://host` and `http://host/` match). */
function sameAddress(typed: string, saved: string | null) {
  const normal = (url: string) => {
    try {
      return new URL(url.trim()).href;
    } catch {
      return url.trim();
    }
  };
  return saved !== null && normal(typed) === normal(saved);
}

function AiSettingsForm({ saved }: { saved: AiSettings }) {
  const save = useSaveAiSettings();
  const [engine, setEngine] = useState<Engine>(saved.engine);
  const [baseUrl, setBaseUrl] = useState(saved.baseUrl ?? "");
  const [transcriptionModel, setTranscriptionModel] = useState(saved.transcriptionModel);
  const [chatModel, setChatModel] = useState(saved.chatModel);
  const [apiKey, setApiKey] = useState("");
  const [done, setDone] = useState<string | null>(null);
  // The key is only ever sent to the address it was saved with: a new address needs its own.
  const forgetsKey = saved.hasApiKey && !sameAddress(baseUrl, saved.baseUrl) && !apiKey.trim();

  const send = (input: AiSettingsInput, message: string) => {
    setDone(null);
    // The key leaves the form once: cleared whatever the answer, never shown again.
    save.mutate(input, { onSuccess: () => setDone(message), onSettled: () => setApiKey("") });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send(
      { engine, baseUrl: orNone(baseUrl), transcriptionModel: orNone(transcriptionModel), chatModel: orNone(chatModel), apiKey: orNone(apiKey) },
      forgetsKey ? "Settings saved. Enter the API key for the new address." : "Settings saved",
    );
  };
  // What is saved, not what is typed: removing the key saves nothing else.
  const removeKey = () =>
    send(
      {
        engine: saved.engine,
        baseUrl: saved.baseUrl,
        transcriptionModel: saved.transcriptionModel,
        chatModel: saved.chatModel,
        apiKey: null,
        clearApiKey: true,
      },
      "API key removed",
    );

  return (
    <form onSubmit={submit}>
      <section>
        <fieldset className="engine-choice">
          <legend>Transcription engine</legend>
          <label className="check">
            <input
              type="radio"
              name="ai-engine"
              value="local"
              checked={engine === "local"}
              data-testid="ai-engine-local"
              onChange={() => setEngine("local")}
            />
            Local — offline, pocketsphinx
            {!saved.localAvailable && (
              <span className="badge quiet" data-testid="ai-local-missing" title="Install the pocketsphinx and pocketsphinx-en-us packages">
                not installed
              </span>
            )}
          </label>
          <label className="check">
            <input
              type="radio"
              name="ai-engine"
              value="remote"
              checked={engine === "remote"}
              data-testid="ai-engine-remote"
              onChange={() => setEngine("remote")}
            />
            Remote — OpenAI-compatible
          </label>
        </fieldset>
        <p className="note">
          {engine === "local"
            ? "The audio never leaves this computer. Analysis with AI still uses the service below."
            : "The audio is sent to the service below to be transcribed."}
        </p>
      </section>
      <section>
        <strong>OpenAI-compatible service</strong>
        <label htmlFor="ai-base-url">Base URL</label>
        <input id="ai-base-url" type="text" autoComplete="off" placeholder="https://api.openai.com/v1" value={baseUrl}
          onChange={(e) => setBaseUrl(e.target.value)} data-testid="ai-base-url" />
        <label htmlFor="ai-transcription-model">Transcription model</label>
        <input id="ai-transcription-model" type="text" autoComplete="off" value={transcriptionModel}
          onChange={(e) => setTranscriptionModel(e.target.value)} data-testid="ai-transcription-model" />
        <label htmlFor="ai-chat-model">Chat model (for analysis)</label>
        <input id="ai-chat-model" type="text" autoComplete="off" value={chatModel}
          onChange={(e) => setChatModel(e.target.value)} data-testid="ai-chat-model" />
        <label htmlFor="ai-api-key">API key</label>
        <input id="ai-api-key" type="password" autoComplete="new-password" value={apiKey}
          placeholder={saved.hasApiKey && !forgetsKey ? "Saved — type a new key to replace it" : "sk-…"}
          onChange={(e) => setApiKey(e.target.value)} data-testid="ai-api-key" />
        {forgetsKey && (
          <p className="note warn" data-testid="ai-key-address-changed">
            The saved key is only ever sent to {saved.baseUrl}. Saving another address forgets it: enter the key for the
            new address.
          </p>
        )}
        <p className={saved.keyStore === "file" && saved.hasApiKey ? "note warn" : "note"} data-testid="ai-key-note">
          {saved.hasApiKey
            ? KEY_STORES[saved.keyStore]
            : saved.keyForOtherAddress
              ? "The saved key is for another address, so it is not used. Enter the key for this address."
              : "No API key saved."}
          {saved.hasApiKey && (
            <>
              {" · "}
              <button type="button" className="link-button" data-testid="ai-remove-key" disabled={save.isPending} onClick={removeKey}>
                Remove key
              </button>
            </>
          )}
        </p>
      </section>
      <div className="row">
        <button type="submit" className="primary" disabled={save.isPending} data-testid="ai-save">
          {save.isPending ? "Saving…" : "Save"}
        </button>
        {done && !save.isPending && (
          <span className="note" role="status" data-testid="ai-saved">
            {done}
          </span>
        )}
      </div>
      {save.isError && <p role="alert" className="error-text">{errorMessage(save.error)}</p>}
    </form>
  );
}
