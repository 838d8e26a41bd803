/**
 * A page's Stop button while it trains, and Resume once Stop has stopped it (the engine keeps an
 * in-memory checkpoint). `onResume` runs after the page's message is cleared.
 */
export function StopResume(props: {
  phase: string;
  onStop: () => void;
  onResume: () => void;
  onMessage: (text: string) => void;
}) {
  if (props.phase === 'training')
    return (
      <button type="button" id="stop" onClick={props.onStop}>
        Stop
      </button>
    );
  if (props.phase === 'stopped')
    return (
      <button
        type="button"
        id="resume"
        onClick={() => {
          props.onMessage('');
          props.onResume();
        }}
      >
        Resume
      </button>
    );
  return null;
}
