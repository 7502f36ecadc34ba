import { Controller, Get, Query } from '@nestjs/common';
import { z } from 'zod';
import { parseInput } from '../common/http/parse-input';
import { TimeTravel, atQuery } from './time-travel';
import { Role } from '../auth/roles';
import { ApiQueryOf } from '../common/http/api-input';

const stateQuery = z.object({ at: atQuery, position: z.coerce.number().int().min(0).optional() }).strict();

@Controller('api/state')
export class StateController {
  constructor(private readonly timeTravel: TimeTravel) {}

  /** Counts of the state at a time or position (default: now), and the log position that answered. */
  @Get()
  @Role('viewer')
  @ApiQueryOf(stateQuery)
  get(@Query() query: unknown) {
    const { at, position } = parseInput(stateQuery, query, 'QUERY.INVALID');
    return this.timeTravel.summary(at, position);
  }
}
