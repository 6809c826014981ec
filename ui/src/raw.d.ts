// Vite's `?raw` import: a file's text (the tests read theme.css and index.html this way).
declare module "*?raw" {
  const text: string;
  export default text;
}
