namespace ScimFunctions.Tests.Infra;

/// <summary>
/// Reads the YAML subset azure.yaml uses (nested mappings, plain or quoted scalars, "|" block scalars) into
/// dotted paths such as "services.api.project". Anything else (sequences, anchors, flow style) is rejected
/// rather than misread, so the test fails loudly if azure.yaml outgrows it.
/// </summary>
internal static class YamlMappings
{
    public static IReadOnlyDictionary<string, string> Read(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var parents = new Stack<(int Indent, string Key)>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');

        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index];
            var content = line.TrimStart(' ');
            if (content.Length == 0 || content.StartsWith('#')) continue;

            var indent = line.Length - content.Length;
            while (parents.Count > 0 && parents.Peek().Indent >= indent) parents.Pop();

            if (content.StartsWith("- ", StringComparison.Ordinal) || content[0] is '[' or '{' or '&' or '*' or '\t')
            {
                throw new FormatException($"Unsupported YAML at line {index + 1}: {line}");
            }
            var colon = content.IndexOf(':');
            if (colon <= 0 || (colon + 1 < content.Length && content[colon + 1] != ' '))
            {
                throw new FormatException($"Expected 'key: value' at line {index + 1}: {line}");
            }

            var key = content[..colon];
            var rest = content[(colon + 1)..].Trim();
            var path = string.Join('.', parents.Reverse().Select(parent => parent.Key).Append(key));

            if (rest.Length == 0)
            {
                parents.Push((indent, key));
            }
            else if (rest is "|" or ">")
            {
                var block = new List<string>();
                while (index + 1 < lines.Length && (lines[index + 1].Trim().Length == 0 || Indent(lines[index + 1]) > indent))
                {
                    block.Add(lines[++index].Trim());
                }
                values[path] = string.Join('\n', block).Trim();
            }
            else
            {
                values[path] = Scalar(rest);
            }
        }
        return values;
    }

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    private static string Scalar(string text)
    {
        if (text.Length >= 2 && (text[0] == '"' || text[0] == '\'') && text[^1] == text[0]) return text[1..^1];
        var comment = text.IndexOf(" #", StringComparison.Ordinal);
        return (comment >= 0 ? text[..comment] : text).Trim();
    }
}
