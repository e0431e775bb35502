import { TestClient } from './http.js';

/** The value of one sample in Prometheus text format (`name{labels} value`), or undefined. */
export function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** `GET /metrics` with the scraper's bearer token; returns the Prometheus text. */
export async function scrapeMetrics(url: string, metricsToken: string): Promise<string> {
  const response = await new TestClient(url).get('/metrics', { headers: { authorization: `Bearer ${metricsToken}` } });
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
  return response.text;
}
