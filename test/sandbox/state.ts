// Shared server state handed to every handler.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeySet } from './keys';
import type { Config } from './options';
import type { PagingClock } from './paging';
import type { Rbac, UserInfo } from './rbac';
import type { RequestInfo } from './requestInfo';
import type { ResponseContext } from './respond';
import type { RecordedRequest } from './sandbox';
import type { Store } from './store';

export interface State {
  cfg: Config;
  store: Store;
  keys: KeySet;
  rbac: Rbac;
  staticTokens: Map<string, UserInfo>;
  paging: PagingClock;
  url: string;
  caPem: string;
  requests: RecordedRequest[];
  /** Every token TokenRequest issued, so a test can look for them where they must not be. */
  issuedTokens: string[];
  now(): number;
}

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  state: State;
  method: string;
  path: string;
  query: URLSearchParams;
  rawBody: string;
  info: RequestInfo;
  user: UserInfo;
  rctx: ResponseContext;
  status?: number;
}
