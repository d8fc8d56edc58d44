// Browser dashboard: the webhook URL is injected by the server, never bundled.
export interface AlertConfig {
  slackWebhookUrl?: string;
  discordWebhookUrl?: string;
}

const DISCORD_TEMPLATE = "https://discord.com/api/webhooks/${id}/${token}";

export async function notify(config: AlertConfig, text: string): Promise<number> {
  const url = config.slackWebhookUrl ?? process.env.SLACK_WEBHOOK_URL;
  if (!url) throw new Error("SLACK_WEBHOOK_URL is not configured");
  const res = await fetch(url, { method: "POST", body: JSON.stringify({ text }) });
  return res.status;
}

export function twelveDataUrl(symbol: string, apiKey: string): string {
  return `https://api.twelvedata.com/quote?symbol=${encodeURIComponent(symbol)}&apikey=${apiKey}`;
}

export const brokerPassword = process.env.BROKER_PASSWORD ?? "";
export { DISCORD_TEMPLATE };
