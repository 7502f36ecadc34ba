/** What a feature shows while the server it needs does not offer it yet (its endpoint answers 404). */
export function NotAvailable({ feature }: { feature: string }) {
  return (
    <div className="notice notice-info" role="status" data-testid="not-available">
      <strong>{feature}: not available yet.</strong> This Globe Vault server does not offer it; it appears here once the server
      is updated. Everything else keeps working.
    </div>
  );
}
