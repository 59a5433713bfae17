// The panel's error boundary, at its root. A bug in the panel, or an answer from the platform it cannot read, makes
// it show a short message in the panel's place (which closes as the panel does), instead of an exception thrown out
// of Preact into the page, whose own error handlers would hear of it.
import { Component, type ComponentChildren, createRef } from "preact";
import type { Strings } from "./strings.ts";

interface BoundaryProps {
  open: boolean;
  /** The bot's name, the fallback's heading. */
  title: string;
  /** The dialog's accessible name, as the panel's. */
  label: string;
  strings: Strings;
  onClose(): void;
  /** Reported once: the page's `error` listeners hear of it. */
  onError(error: unknown): void;
  children: ComponentChildren;
}

export class Boundary extends Component<BoundaryProps, { failed: boolean }> {
  override state = { failed: false };
  private close = createRef<HTMLButtonElement>();

  override componentDidCatch(error: unknown): void {
    // setState marks the error handled for Preact (it would throw it on otherwise); the first one is reported.
    if (!this.state.failed) {
      console.error(error);
      this.props.onError(error);
    }
    this.setState({ failed: true });
  }

  override componentDidUpdate(_: BoundaryProps, before: { failed: boolean }): void {
    // Focus was inside what is gone: it goes to the fallback's close button, from where Escape still works.
    if (this.state.failed && !before.failed && this.props.open) this.close.current?.focus();
  }

  override render() {
    const { open, title, label, strings: s, onClose, children } = this.props;
    if (!this.state.failed) return children;
    return (
      <div
        class="panel"
        role="dialog"
        aria-label={label}
        hidden={!open}
        onKeyDown={(e) => {
          if (e.key === "Escape") onClose();
        }}
      >
        <div class="head">
          <div class="title">
            <h2>{title}</h2>
          </div>
          <button ref={this.close} type="button" class="close" aria-label={s.close} onClick={onClose}>
            <span aria-hidden="true">×</span>
          </button>
        </div>
        <div class="error" role="alert">
          <p>{s.crashed}</p>
        </div>
      </div>
    );
  }
}
