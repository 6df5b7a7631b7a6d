/**
 * Search snippet: matched parts in <mark>, as React text (never HTML). Its own module: the help
 * centre's list needs it without the Markdown renderer (marked, DOMPurify).
 */
export function Snippet({ parts }: { parts: { text: string; match: boolean }[] }) {
  return (
    <span>
      {parts.map((p, i) =>
        p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>,
      )}
    </span>
  );
}
