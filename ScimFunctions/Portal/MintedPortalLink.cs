namespace ScimFunctions.Portal;

/// <summary>A freshly minted link and its secret: the only time the secret exists outside the admin's URL.</summary>
public sealed record MintedPortalLink(PortalLink Link, string Secret);
