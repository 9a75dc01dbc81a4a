/**
 * The lifecycle every model shares: a `changed` signal, the last error, busy
 * flags for user actions, and disposal that closes the model's streams.
 */
import type { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { errorMessage } from './errors';

export abstract class BaseModel implements IDisposable {
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Last failure message of any action, cleared by the next success. */
  get error(): string | null {
    return this._error;
  }

  /** True while a request started by the user is in flight. */
  get busy(): boolean {
    return this._busy > 0;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this.stream = null;
    Signal.clearData(this);
  }

  /** The open event stream; replacing it (or disposing the model) closes the old one. */
  protected set stream(stream: IDisposable | null) {
    this._stream?.dispose();
    this._stream = this._isDisposed ? (stream?.dispose(), null) : stream;
  }

  protected get stream(): IDisposable | null {
    return this._stream;
  }

  protected emit(): void {
    if (!this._isDisposed) {
      this._changed.emit();
    }
  }

  /**
   * Run `action`; record a failure as `error`; always emit `changed`.
   * `busy` marks user-started actions so their buttons disable meanwhile.
   *
   * @returns whether the action succeeded
   */
  protected async attempt(action: () => Promise<void>, busy = false): Promise<boolean> {
    if (busy) {
      this._busy++;
      this.emit();
    }
    let ok = false;
    try {
      await action();
      this._error = null;
      ok = true;
    } catch (error) {
      this._error = errorMessage(error);
    } finally {
      if (busy) {
        this._busy--;
      }
    }
    this.emit();
    return ok;
  }

  protected fail(message: string): void {
    this._error = message;
    this.emit();
  }

  private _changed = new Signal<this, void>(this);
  private _error: string | null = null;
  private _busy = 0;
  private _isDisposed = false;
  private _stream: IDisposable | null = null;
}
