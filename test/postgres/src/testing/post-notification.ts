/** POSTs a pay-result notification body the way WeChat Pay does; returns status and answer text. */
export async function postNotification(baseUrl: string, body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${baseUrl}/wxpay/notify`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body,
  });
  return { status: response.status, text: await response.text() };
}
