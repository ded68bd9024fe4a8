// The inbox's reviews, kept in memory only near the rows on screen. Pages are asked in order
// as the list is scrolled down (the server pages with cursors); each page's cursor is kept,
// so a page let go when it went far off screen is asked again, with the same cursor, when
// it comes back near. A row whose page is not held is `null` (drawn as a placeholder row):
// the list keeps its length and its scroll position whatever is held.
import type { Review, ReviewPage } from "./bindings";

/** Reviews per page (the query's `limit`). */
export const PAGE_SIZE = 100;
/** Pages held either side of the pages on screen. */
export const KEEP_AROUND = 3;

/** How long a page that could not be had again is left before it is asked once more. */
export const RETRY_AFTER_MS = 2000;

/** Asks for the page after `cursor` (`null`: the first) of one query. */
export type PageFetch = (cursor: string | null) => Promise<ReviewPage>;

export class ReviewWindow {
  /** One slot per review met so far, in order; `null` where its page is not held. */
  rows: readonly (Review | null)[] = [];
  /** The query's count of matching reviews (the server's). */
  total = 0;
  /** The cursor each page was asked with (`cursors[k]` for page k). */
  private readonly cursors: (string | null)[] = [];
  /** The cursor of the page after the last one met; `null` once the end was met. */
  private next: string | null = null;
  /** Pages whose reviews are in `rows`. */
  private readonly held = new Set<number>();
  /** Pages being asked again. */
  private readonly asking = new Set<number>();
  /** When asking a page again last failed (not asked again for a while after). */
  private readonly failedAt = new Map<number, number>();
  /** The rows on screen, first and last. */
  private first = 0;
  private last = 0;
  private dropped = false;

  constructor(
    private readonly fetch: PageFetch,
    /** Called with the new rows whenever they change. */
    private readonly changed: (rows: readonly (Review | null)[]) => void,
    /** Called when a page asked again could not be had. */
    private readonly failed: (error: unknown) => void,
    /**
     * Called when a page asked again no longer ends where it did (reviews came or went
     * meanwhile): the list must be asked afresh, this window says nothing more.
     */
    private readonly moved: () => void = () => {},
  ) {}

  /** Whether pages remain after the last one met. */
  get hasMore(): boolean {
    return this.next !== null;
  }

  /** The first page. Its failure is thrown. */
  async start(): Promise<void> {
    const page = await this.fetch(null);
    if (this.dropped) return;
    this.cursors.push(null);
    this.held.add(0);
    this.next = page.next_cursor;
    this.total = page.total;
    this.set(page.items);
  }

  /** The next page, appended. Its failure is thrown. */
  async more(): Promise<void> {
    const cursor = this.next;
    if (cursor === null) return;
    const page = await this.fetch(cursor);
    if (this.dropped || cursor !== this.next) return;
    const index = this.cursors.length;
    this.cursors.push(cursor);
    this.held.add(index);
    this.next = page.next_cursor;
    this.total = page.total;
    this.set(this.rows.concat(page.items));
    this.trim();
  }

  /** The rows on screen are now `first`…`last`: far pages are let go, near ones asked. */
  show(first: number, last: number): void {
    this.first = Math.max(0, first);
    this.last = Math.max(this.first, last);
    this.trim();
    for (const page of this.near()) {
      const failed = this.failedAt.get(page);
      const waited = failed === undefined || Date.now() - failed > RETRY_AFTER_MS;
      if (!this.held.has(page) && !this.asking.has(page) && page < this.cursors.length && waited) {
        void this.askAgain(page);
      }
    }
  }

  /** A review changed (a reply sent): its row shows the new one, if held. */
  replace(review: Review): void {
    if (this.rows.some((r) => r?.id === review.id)) {
      this.set(this.rows.map((r) => (r?.id === review.id ? review : r)));
    }
  }

  /** No more changes told (a new query replaced this one). */
  drop(): void {
    this.dropped = true;
  }

  /** How many pages are held (for the tests). */
  get pagesHeld(): number {
    return this.held.size;
  }

  private slotsOf(page: number): number {
    return Math.max(0, Math.min(PAGE_SIZE, this.rows.length - page * PAGE_SIZE));
  }

  private near(): number[] {
    const from = Math.max(0, Math.floor(this.first / PAGE_SIZE) - KEEP_AROUND);
    const to = Math.floor(this.last / PAGE_SIZE) + KEEP_AROUND;
    const pages = [];
    for (let page = from; page <= to; page++) pages.push(page);
    return pages;
  }

  private trim(): void {
    const near = new Set(this.near());
    const far = [...this.held].filter((page) => !near.has(page));
    if (far.length === 0) return;
    const rows = this.rows.slice();
    for (const page of far) {
      this.held.delete(page);
      rows.fill(null, page * PAGE_SIZE, Math.min(rows.length, (page + 1) * PAGE_SIZE));
    }
    this.set(rows);
  }

  private async askAgain(page: number): Promise<void> {
    this.asking.add(page);
    try {
      const answer = await this.fetch(this.cursors[page] ?? null);
      if (this.dropped || !this.near().includes(page)) return;
      // The page must end where it ended: otherwise its reviews would repeat the next
      // page's, or leave some out.
      const ended = page + 1 < this.cursors.length ? this.cursors[page + 1] : this.next;
      if (answer.next_cursor !== ended || answer.items.length !== this.slotsOf(page)) {
        this.dropped = true;
        this.moved();
        return;
      }
      const start = page * PAGE_SIZE;
      const end = Math.min(this.rows.length, start + PAGE_SIZE);
      const rows = this.rows.slice();
      for (let i = start; i < end; i++) rows[i] = answer.items[i - start] ?? null;
      this.held.add(page);
      this.set(rows);
      this.failedAt.delete(page);
    } catch (error) {
      this.failedAt.set(page, Date.now());
      if (!this.dropped) this.failed(error);
    } finally {
      this.asking.delete(page);
    }
  }

  private set(rows: readonly (Review | null)[]): void {
    this.rows = rows;
    if (!this.dropped) this.changed(rows);
  }
}
