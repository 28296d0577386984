using System.Text;
using ScimFunctions.Storage;

namespace ScimFunctions.Activity;

/// <summary>
/// Keeps client values out of the log: quoted text in a filter or an error detail becomes <c>"***"</c>, and
/// details of failures known to quote a client value are rebuilt from the failure's facts instead.
/// </summary>
public static class ClientValueMask
{
    public const string Masked = "***";
    public const int MaxLength = 1_000;

    /// <summary><c>userName eq "jane@example.com"</c> → <c>userName eq "***"</c>; escapes inside a literal are honoured.</summary>
    public static string? Filter(string? filter) => filter is null ? null : Quoted(filter, '"');

    /// <summary>An error detail without client values.</summary>
    public static string? Detail(Exception? exception, string? detail) => exception switch
    {
        UniquenessConflictException conflict => $"The {conflict.Attribute} is already in use in this directory.",
        ResourceNotFoundException missing => $"{missing.ResourceType} {(PartitionLayout.IsServerId(missing.Id) ? missing.Id : Masked)} not found.",
        InvalidStoreValueException { OffendingValues.Count: > 0 } => "Some values are not acceptable: " + Quoted(Quoted(NonIds(detail), '"'), '\''),
        _ => detail is null ? null : Quoted(Quoted(detail, '"'), '\''),
    };

    private static string NonIds(string? detail)
    {
        // "Not users of this directory: a, b." lists the ids the client sent; keep only server ids.
        if (detail is null) return "";
        var colon = detail.IndexOf(':');
        if (colon < 0) return detail;
        var ids = detail[(colon + 1)..].TrimEnd('.').Split(',', StringSplitOptions.TrimEntries)
            .Select(id => PartitionLayout.IsServerId(id) ? id : Masked);
        return detail[..(colon + 1)] + " " + string.Join(", ", ids) + ".";
    }

    private static string Quoted(string text, char quote)
    {
        var builder = new StringBuilder(Math.Min(text.Length, MaxLength));
        for (var i = 0; i < text.Length && builder.Length < MaxLength; i++)
        {
            if (text[i] != quote)
            {
                builder.Append(text[i]);
                continue;
            }
            // An apostrophe inside a word ("don't") is not a quote.
            if (quote == '\'' && i > 0 && char.IsLetter(text[i - 1]) && i + 1 < text.Length && char.IsLetter(text[i + 1]))
            {
                builder.Append(text[i]);
                continue;
            }
            var end = i + 1;
            while (end < text.Length && text[end] != quote)
            {
                if (text[end] == '\\') end++;
                end++;
            }
            builder.Append(quote).Append(Masked).Append(quote);
            i = end;
        }
        return builder.ToString();
    }
}
