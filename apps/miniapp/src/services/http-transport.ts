export type HttpMethod = 'GET' | 'POST';

export interface HttpRequest {
  url: string;
  method: HttpMethod;
  headers: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
}

export interface HttpResponse {
  statusCode: number;
  /** Parsed JSON when the body was JSON, otherwise whatever the platform handed back. */
  data: unknown;
}

/** Resolves for every HTTP status; rejects only when no response arrived (offline, DNS, timeout). */
export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;
