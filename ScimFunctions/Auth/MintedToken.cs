using Microsoft.Extensions.Logging;

namespace ScimFunctions.Auth;

/// <summary>A freshly minted token: the only place the plain token ever exists outside the caller.</summary>
public sealed record MintedToken(TokenMetadata Metadata, string Token);
