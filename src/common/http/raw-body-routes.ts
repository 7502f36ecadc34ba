/**
 * Routes whose body is streamed to disk as it arrives (imports, backup uploads): the JSON body
 * parser must not touch them, or a large file would be buffered in memory first.
 */
const STREAMED_BODY_ROUTES = [/^\/api\/datasets\/([^/]+\/)?import\/?(\?.*)?$/, /^\/api\/backups\/upload\/?(\?.*)?$/];

export const isStreamedBodyRoute = (url: string): boolean => STREAMED_BODY_ROUTES.some((re) => re.test(url));
