// The engine floor's page (floor.html, opened by `--benchmark-page floor`): nothing but the
// mark of its first frame, so that the start benchmark measures what the window and WebKit
// cost before any of the app's own work (scripts/bench-engines.sh).
import { markPainted } from "../lib/marks";

markPainted("dashboard-painted");
