// Work that nobody awaits (a relay event's follow-up, a timer's flush), kept
// track of so that a shutdown can wait for it before closing the database.
// A failure never becomes an unhandled rejection: it goes to `onError`.
export class BackgroundWork {
  private readonly tasks = new Set<Promise<unknown>>();

  constructor(private readonly onError: (error: unknown) => void = () => undefined) {}

  add(task: Promise<unknown> | undefined): void {
    if (!task) return;
    this.tasks.add(task);
    void task.then(
      () => this.tasks.delete(task),
      (error: unknown) => {
        this.tasks.delete(task);
        this.onError(error);
      },
    );
  }

  /** Resolves once nothing is running, including work started by work that finished meanwhile. */
  async idle(): Promise<void> {
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
  }
}
