import { useRef, type KeyboardEvent, type PointerEvent } from "react";

type Props = {
  label: string;
  /** The width now, read when a drag or a key press starts. */
  width: () => number;
  min: number;
  max: number;
  /** 1: dragging right widens (a column's right edge); -1: dragging left does (a panel on the right). */
  grows: 1 | -1;
  onResize: (width: number) => void;
  className: string;
  testId?: string;
};

const STEP = 16;

/**
 * A vertical edge to drag, or to focus and move with ←/→ (Shift: larger steps), so that
 * resizing works by keyboard too.
 */
export function Resizer({ label, width, min, max, grows, onResize, className, testId }: Props) {
  const drag = useRef<{ x: number; width: number } | null>(null);
  const clamp = (w: number) => Math.round(Math.min(max, Math.max(min, w)));

  const down = (e: PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    e.stopPropagation();
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { x: e.clientX, width: width() };
  };
  const move = (e: PointerEvent<HTMLDivElement>) => {
    if (drag.current) onResize(clamp(drag.current.width + grows * (e.clientX - drag.current.x)));
  };
  const end = () => {
    drag.current = null;
  };
  const key = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? STEP * 4 : STEP;
    const delta = e.key === "ArrowRight" ? step : e.key === "ArrowLeft" ? -step : 0;
    if (delta === 0) return;
    // The arrows are the player's shortcuts elsewhere: here they resize, and only that.
    e.preventDefault();
    e.stopPropagation();
    onResize(clamp(width() + grows * delta));
  };

  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuemin={min}
      aria-valuemax={max}
      // A focusable separator is a control: screen readers say its value, as axe requires.
      aria-valuenow={clamp(width())}
      tabIndex={0}
      className={className}
      data-testid={testId}
      onPointerDown={down}
      onPointerMove={move}
      onPointerUp={end}
      onPointerCancel={end}
      onClick={(e) => e.stopPropagation()}
      onKeyDown={key}
    />
  );
}
