export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Stable code, e.g. C360-E104. Never reuse a code for a different problem. */
  code: string;
  severity: Severity;
  message: string;
  /** File the problem is in (as given by the user, e.g. "c360.yml"). */
  file: string;
  /** 1-based; 0 when the problem has no position (e.g. file missing). */
  line: number;
  col: number;
  /** End of the offending node (1-based, exclusive column), for the caret underline. Optional. */
  endLine?: number;
  endCol?: number;
  /** "did you mean `orders`?" or how to fix it. */
  hint?: string;
}

/** Thrown by stages when the user made a mistake; cli/ prints it, never a stack trace. */
export class C360Error extends Error {
  constructor(
    readonly diagnostics: Diagnostic[],
    message = diagnostics.map((d) => d.message).join('; '),
  ) {
    super(message);
    this.name = 'C360Error';
  }
}
