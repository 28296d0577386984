using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ScimFunctions.Directories;
using ScimFunctions.Functions.Http;
using ScimFunctions.Functions.Management;
using ScimFunctions.Portal;

namespace ScimFunctions.Functions.Portal;

/// <summary>Minting a portal link, shared by the management API and the operator's portal: the body
/// <c>{"lifetimeHours"?, "scopes"?}</c>, and the 201 answer with the link's URL (the secret in its fragment, so it
/// never reaches a server log or a Referer).</summary>
public sealed class PortalLinkRequests(PortalService portal, ScimBaseUrls baseUrls)
{
    public async Task<PlainJsonResult> MintAsync(HttpRequest request, string? directoryId, CancellationToken cancellationToken)
    {
        var body = await PortalRequests.ReadBodyAsync(request, cancellationToken);
        var lifetime = PortalRequests.OptionalInteger(body, "lifetimeHours", PortalLink.MinLifetimeHours, PortalLink.MaxLifetimeHours) ?? PortalLink.DefaultLifetimeHours;
        var named = PortalRequests.OptionalStrings(body, "scopes", 10);
        var operatorLink = directoryId is null;
        var scopes = PortalScopes.Normalise(named ?? (operatorLink ? [PortalScopes.Operator] : PortalScopes.DirectoryScopes), operatorLink)
            ?? throw PortalRequests.Invalid(operatorLink
                ? "'scopes' of an operator link must be [\"operator\"]."
                : $"'scopes' must name one or more of: {string.Join(", ", PortalScopes.DirectoryScopes)}.");
        var minted = await portal.MintAsync(directoryId, scopes, lifetime, cancellationToken);
        var json = Link(minted.Link);
        json.Remove("revokedAt");
        json.Remove("lastRedeemedAt");
        json["url"] = $"{baseUrls.Root(request)}/{PortalRoutes.Root}/#link={minted.Secret}";
        json["directoryId"] = directoryId;
        return new PlainJsonResult(StatusCodes.Status201Created, json).WithHeader("Cache-Control", "no-store");
    }

    public static JsonObject Link(PortalLink link) => new()
    {
        ["id"] = link.Id,
        ["scopes"] = Strings(link.Scopes),
        ["createdAt"] = ManagementJson.Timestamp(link.CreatedAt),
        ["expiresAt"] = ManagementJson.Timestamp(link.ExpiresAt),
        ["revokedAt"] = link.RevokedAt is { } revoked ? ManagementJson.Timestamp(revoked) : null,
        ["lastRedeemedAt"] = link.LastRedeemedAt is { } redeemed ? ManagementJson.Timestamp(redeemed) : null,
    };

    public static JsonArray Strings(IEnumerable<string> values) => new(values.Select(value => (JsonNode?)value).ToArray());
}
