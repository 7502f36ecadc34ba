import { serve } from './serve';

serve().catch((error) => {
  // A bad configuration or an unreadable data directory: say so plainly and stop.
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
