/** The notes a page shows about its URL: each value it could not take, and what it used instead. */
export function Notes({ notes }: { notes: readonly string[] }) {
  if (notes.length === 0) return null;
  return (
    <ul id="notes" class="notes">
      {notes.map((n) => (
        <li key={n}>{n}</li>
      ))}
    </ul>
  );
}

/** A page's message to the person: what went wrong (or was written), in words; nothing when empty. */
export function Message({ text }: { text: string | undefined }) {
  if (!text) return null;
  return (
    <p id="message" class="message" role="alert">
      {text}
    </p>
  );
}
