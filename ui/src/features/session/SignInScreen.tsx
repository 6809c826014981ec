import { describeError } from "../../lib/command";
import { useOpenDemoWorkspace } from "./api";

export function SignInScreen() {
  const openDemo = useOpenDemoWorkspace();
  return (
    <main className="sign-in">
      <div className="sign-in-card">
        <img className="sign-in-logo" src="/icon.png" alt="" width={72} height={72} />
        <h1>CallDeck</h1>
        <p className="muted">Your Twilio call recordings, on your desktop: find any call, play it, review it offline.</p>
        <button
          type="button"
          className="primary"
          data-testid="open-demo"
          disabled={openDemo.isPending}
          onClick={() => openDemo.mutate()}
        >
          {openDemo.isPending ? "Opening…" : "Open demo workspace"}
        </button>
        <p className="muted small">
          The demo workspace needs no account: 200 sample calls, some with audio, kept on this computer only.
        </p>
        {openDemo.isError && (
          <p role="alert" className="error-text">
            {describeError(openDemo.error)}
          </p>
        )}
      </div>
    </main>
  );
}
