namespace ScimFunctions.Webhooks;

/// <summary>A webhook URL (or what its host resolves to) that deliveries may not go to. The message names the
/// rule, never the resolved addresses.</summary>
public sealed class WebhookTargetRefusedException(string message) : Exception(message);
