import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { once } from 'node:events';
import { Role } from '../../auth/roles';
import { ApiFileAnswer, ApiQueryOf } from '../../common/http/api-input';
import { parseInput } from '../../common/http/parse-input';
import { GLOBE_POINTS_TYPE, binaryChunks, jsonForm } from './globe-points-wire';
import { GlobePointsService, globePointsQuery } from './globe-points.query';

/**
 * GET /api/globe/points: every location as the globe draws it (id, latitude, longitude, quantity,
 * grouped by dataset), for its first frame; names and properties come from GET /api/locations/:id
 * when a point is clicked. Cached by the browser: `ETag` (position + chain hash) and
 * `Cache-Control: no-cache`, so a repeat visit revalidates and gets 304 without a row being read.
 */
@Controller('api/globe')
export class GlobePointsController {
  constructor(private readonly service: GlobePointsService) {}

  @Get('points')
  @Role('viewer')
  @ApiQueryOf(globePointsQuery)
  @ApiFileAnswer('application/json', GLOBE_POINTS_TYPE)
  async points(@Query() raw: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const query = parseInput(globePointsQuery, raw, 'QUERY.INVALID');
    res.setHeader('Cache-Control', 'private, no-cache');
    const known = req.headers['if-none-match'];
    if (known) {
      const tag = await this.service.currentTag(query);
      if (tag !== null && known.split(',').some((t) => t.trim() === tag)) {
        res.setHeader('ETag', tag);
        res.status(304).end();
        return;
      }
    }
    const { points, tag } = await this.service.read(query);
    if (tag) res.setHeader('ETag', tag);
    res.setHeader('X-Position', String(points.position));
    if (query.format === 'json') {
      res.json(jsonForm(points));
      return;
    }
    const chunks = binaryChunks(points);
    res.setHeader('Content-Type', GLOBE_POINTS_TYPE);
    res.setHeader('Content-Length', String(chunks.reduce((n, c) => n + c.length, 0)));
    for (const chunk of chunks) {
      if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
      if (res.destroyed) return;
    }
    res.end();
  }
}
