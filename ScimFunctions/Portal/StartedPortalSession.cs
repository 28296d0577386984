namespace ScimFunctions.Portal;

/// <summary>A session just redeemed, with the secret that goes into the cookie (shown once, stored hashed).</summary>
public sealed record StartedPortalSession(PortalSession Session, string Secret);
