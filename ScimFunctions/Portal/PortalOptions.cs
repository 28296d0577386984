namespace ScimFunctions.Portal;

/// <summary>Where portal links and sessions are kept and how long a session lives. Bound from the <c>Portal</c>
/// configuration section (app settings <c>Portal__SessionLifetime</c>, …).</summary>
public sealed class PortalOptions
{
    public const string SectionName = "Portal";

    public string TableName { get; set; } = "ScimPortal";

    /// <summary>A session ends this long after its last request (sliding), and never after its link expires.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>A session's expiry is pushed forward at most this often, so a busy page does not write on every request.</summary>
    public TimeSpan SessionRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);
}
