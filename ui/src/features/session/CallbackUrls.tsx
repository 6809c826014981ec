type Props = { urls: string[] };

/** What the Auth0 application must list as Allowed Callback URLs, ready to copy. */
export function CallbackUrls({ urls }: Props) {
  if (urls.length === 0) return null;
  return (
    <div className="callback-urls" data-testid="callback-urls">
      <p className="small muted">Register these callback URLs in the Auth0 application (Allowed Callback URLs):</p>
      <ul>
        {urls.map((url) => (
          <li key={url}>
            <code>{url}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}
