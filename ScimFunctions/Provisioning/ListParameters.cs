using System.Globalization;
using ScimFunctions.Scim;

namespace ScimFunctions.Provisioning;

/// <summary>
/// The one place where list and search parameters (RFC 7644 §3.4.2, §3.4.3; RFC 9865 cursors) are checked, so a
/// query string and a search body mean the same: the HTTP side reads raw values from either and hands them here.
/// Every refusal is 400 with a detail naming the parameter. Out-of-range numbers are not errors: RFC 7644
/// §3.4.2.4 reads a <c>startIndex</c> below 1 as 1 and a negative <c>count</c> as 0.
/// </summary>
public static class ListParameters
{
    /// <summary>An integer parameter given as text; a number beyond 32 bits is clamped (it means "all" or "none").</summary>
    public static int? Integer(string? text, string name)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var trimmed = text.Trim();
        if (int.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)) return number;
        var digits = trimmed.TrimStart('-', '+');
        if (digits.Length > 0 && trimmed.Length - digits.Length <= 1 && digits.All(char.IsAsciiDigit))
        {
            return trimmed.StartsWith('-') ? int.MinValue : int.MaxValue;
        }
        throw ScimException.BadRequest(ScimErrorType.InvalidValue, $"\"{name}\" must be an integer, not \"{text}\".");
    }

    /// <summary>Checks what does not depend on the resource type: sortOrder, attribute paths, and the paging combinations.</summary>
    public static ListRequest Checked(ListRequest request)
    {
        if (request.SortOrder is { } order && !IsSortOrder(order))
        {
            throw ScimException.BadRequest(ScimErrorType.InvalidValue, $"\"sortOrder\" must be \"ascending\" or \"descending\", not \"{order}\".");
        }
        if (request.SortBy is { } sortBy && !AttributePath.TryParse(sortBy.Trim(), out _))
        {
            throw ScimException.BadRequest(ScimErrorType.InvalidValue, $"\"sortBy\" must be an attribute path, not \"{sortBy}\".");
        }
        CheckPaths(request.Selection.Attributes, "attributes");
        CheckPaths(request.Selection.ExcludedAttributes, "excludedAttributes");
        if (request.Cursor is not null && request.StartIndex is not null)
        {
            throw ScimException.BadRequest(ScimErrorType.InvalidValue, "Use either \"cursor\" or \"startIndex\" paging, not both.");
        }
        if (request.Cursor is not null && !string.IsNullOrWhiteSpace(request.SortBy))
        {
            throw ScimException.BadRequest(ScimErrorType.InvalidValue, "\"sortBy\" cannot be combined with \"cursor\" paging; results come in a stable server order.");
        }
        return request;
    }

    /// <summary>The <c>attributes</c> / <c>excludedAttributes</c> of a single-resource request, checked the same way.</summary>
    public static AttributeSelection Checked(AttributeSelection selection)
    {
        CheckPaths(selection.Attributes, "attributes");
        CheckPaths(selection.ExcludedAttributes, "excludedAttributes");
        return selection;
    }

    private static bool IsSortOrder(string order) =>
        order.Trim().Equals("ascending", StringComparison.OrdinalIgnoreCase) || order.Trim().Equals("descending", StringComparison.OrdinalIgnoreCase);

    /// <summary>Names must be attribute paths or schema URNs; a well-formed name of no known attribute selects nothing.</summary>
    private static void CheckPaths(IReadOnlyList<string> names, string parameter)
    {
        foreach (var name in names)
        {
            var text = name.Trim();
            // URL-named schemas (Entra ID's ADSCIM extension) may be selected whole.
            if (text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) continue;
            if (!AttributePath.TryParse(text, out _))
            {
                throw ScimException.BadRequest(ScimErrorType.InvalidValue, $"\"{parameter}\" must list attribute paths; \"{name}\" is not one.");
            }
        }
    }
}
