namespace ScimFunctions.Auth;

/// <summary>The hash store is down, throttling or timing out: a retryable condition, never a bad token.</summary>
public sealed class TokenStoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
