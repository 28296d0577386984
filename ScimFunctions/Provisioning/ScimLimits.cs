namespace ScimFunctions.Provisioning;

/// <summary>Limits stated in /ServiceProviderConfig and enforced here.</summary>
public static class ScimLimits
{
    /// <summary>Request bodies above this are refused with 413 before anything is parsed or stored.</summary>
    public const int MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>Resources in a list page when the client gives no <c>count</c>.</summary>
    public const int DefaultPageSize = 100;

    /// <summary>The most resources one list response holds (<c>filter.maxResults</c>); a larger <c>count</c> is lowered to it.</summary>
    public const int MaxPageSize = 200;

    /// <summary>
    /// The member values a page of groups carries before it stops taking groups (fewer groups than <c>count</c>,
    /// <c>itemsPerPage</c> says how many); the first group of a page is always whole, however large.
    /// </summary>
    public const int MaxMembersPerPage = 10_000;

    /// <summary>
    /// The group values (<c>groups</c>) a page of users carries before it stops taking users, as
    /// <see cref="MaxMembersPerPage"/> bounds a page of groups; the first user of a page is always whole.
    /// </summary>
    public const int MaxGroupsPerPage = 10_000;

    /// <summary>The most operations one bulk request holds (<c>bulk.maxOperations</c>). They run one after another,
    /// so this bounds a bulk request's time to about that many single requests.</summary>
    public const int MaxBulkOperations = 100;

    /// <summary>The largest bulk request body (<c>bulk.maxPayloadSize</c>): every request body's limit.</summary>
    public const int MaxBulkPayloadBytes = MaxRequestBodyBytes;
}
