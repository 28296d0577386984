using System.Globalization;
using System.Text;

namespace ScimFunctions.Scim.Filter;

/// <summary>
/// Recursive-descent parser for the RFC 7644 §3.4.2.2 grammar. Work is linear in the input: no regular
/// expressions, no backtracking beyond a keyword look-ahead, and recursion only for explicit nesting, which
/// is capped at <see cref="MaxDepth"/>.
/// </summary>
internal sealed class FilterParser
{
    public const int MaxLength = 8192;
    public const int MaxDepth = 32;

    private readonly string _text;
    private int _position;
    private int _depth;

    private readonly bool _isPatchPath;

    private FilterParser(string text, bool isPatchPath = false)
    {
        _text = text;
        _isPatchPath = isPatchPath;
    }

    public static FilterNode Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength)
        {
            throw ScimException.InvalidFilter($"The filter is {text.Length} characters long; at most {MaxLength} are accepted.");
        }
        var parser = new FilterParser(text);
        parser.SkipWhitespace();
        if (parser.AtEnd) throw ScimException.InvalidFilter("The filter is empty.");
        var node = parser.ParseOr(insideValuePath: false);
        parser.SkipWhitespace();
        if (!parser.AtEnd) throw parser.Error($"Unexpected '{parser.Current}'");
        return node;
    }

    /// <summary>Parses a PATCH path: <c>attrPath</c>, <c>attrPath[valFilter]</c> or <c>attrPath[valFilter].subAttr</c>.</summary>
    public static (AttributePath Path, FilterNode? ValueFilter, string? SubAttribute) ParsePatchPath(string text)
    {
        if (text.Length > MaxLength)
        {
            throw ScimException.InvalidPath($"The path is {text.Length} characters long; at most {MaxLength} are accepted.");
        }
        var parser = new FilterParser(text, isPatchPath: true);
        var start = parser._position;
        var pathText = parser.ReadPathToken();
        if (!AttributePath.TryParse(pathText, out var path)) throw parser.ErrorAt(start, $"Invalid attribute path \"{pathText}\"");
        FilterNode? valueFilter = null;
        string? sub = null;
        if (!parser.AtEnd && parser.Current == '[')
        {
            if (path.SubAttribute is not null) throw parser.Error("A value filter must follow a multi-valued attribute, not a sub-attribute");
            parser._position++;
            parser._depth++;
            valueFilter = parser.ParseOr(insideValuePath: true);
            parser.SkipWhitespace();
            parser.Expect(']');
            if (!parser.AtEnd && parser.Current == '.')
            {
                parser._position++;
                var subStart = parser._position;
                sub = parser.ReadPathToken();
                if (!AttributePath.IsAttributeName(sub)) throw parser.ErrorAt(subStart, $"Invalid sub-attribute \"{sub}\"");
            }
        }
        if (!parser.AtEnd) throw parser.Error($"Unexpected '{parser.Current}'");
        return (path, valueFilter, sub);
    }

    private bool AtEnd => _position >= _text.Length;
    private char Current => _text[_position];

    private FilterNode ParseOr(bool insideValuePath)
    {
        var first = ParseAnd(insideValuePath);
        if (!TryKeyword("or")) return first;
        var operands = new List<FilterNode> { first };
        do operands.Add(ParseAnd(insideValuePath)); while (TryKeyword("or"));
        return new OrNode(operands);
    }

    private FilterNode ParseAnd(bool insideValuePath)
    {
        var first = ParseUnary(insideValuePath);
        if (!TryKeyword("and")) return first;
        var operands = new List<FilterNode> { first };
        do operands.Add(ParseUnary(insideValuePath)); while (TryKeyword("and"));
        return new AndNode(operands);
    }

    private FilterNode ParseUnary(bool insideValuePath)
    {
        SkipWhitespace();
        if (AtEnd) throw Error("Expected an expression but the text ended");
        if (Current == '(')
        {
            var inner = ParseParenthesised(insideValuePath);
            return inner;
        }
        if (IsNotKeyword())
        {
            _position += 3;
            SkipWhitespace();
            return new NotNode(ParseParenthesised(insideValuePath));
        }
        return ParseAttributeExpression(insideValuePath);
    }

    private FilterNode ParseParenthesised(bool insideValuePath)
    {
        Expect('(');
        Enter();
        var inner = ParseOr(insideValuePath);
        SkipWhitespace();
        Expect(')');
        _depth--;
        return inner;
    }

    private FilterNode ParseAttributeExpression(bool insideValuePath)
    {
        var start = _position;
        var pathText = ReadPathToken();
        if (pathText.Length == 0) throw Error(AtEnd ? "Expected an attribute path but the text ended" : $"Expected an attribute path but found '{Current}'");
        if (!AttributePath.TryParse(pathText, out var path)) throw ErrorAt(start, $"Invalid attribute path \"{pathText}\"");

        if (!AtEnd && Current == '[')
        {
            if (insideValuePath) throw Error("Value filters cannot be nested");
            if (path.SubAttribute is not null) throw Error("A value filter must follow a multi-valued attribute, not a sub-attribute");
            _position++;
            Enter();
            var inner = ParseOr(insideValuePath: true);
            SkipWhitespace();
            Expect(']');
            _depth--;
            if (AtEnd || Current != '.') return new ValuePathNode(path, inner);

            // emails[type eq "work"].value eq "x" means: some email has type work and that value.
            _position++;
            var subStart = _position;
            var sub = ReadPathToken();
            if (!AttributePath.IsAttributeName(sub)) throw ErrorAt(subStart, $"Invalid sub-attribute \"{sub}\"");
            var comparison = ParseComparisonRest(new AttributePath(null, sub));
            return new ValuePathNode(path, inner is AndNode and ? new AndNode([.. and.Operands, comparison]) : new AndNode([inner, comparison]));
        }
        return ParseComparisonRest(path);
    }

    private ComparisonNode ParseComparisonRest(AttributePath path)
    {
        if (AtEnd || !char.IsWhiteSpace(Current)) throw Error(AtEnd ? "Expected an operator but the text ended" : $"Expected a space and an operator but found '{Current}'");
        SkipWhitespace();
        var operatorStart = _position;
        while (!AtEnd && char.IsAsciiLetter(Current)) _position++;
        var operatorText = _text[operatorStart.._position];
        if (operatorText.Length == 0 || (!AtEnd && !IsDelimiter(Current)))
        {
            while (!AtEnd && !IsDelimiter(Current)) _position++;
            operatorText = _text[operatorStart.._position];
        }
        ComparisonOperator op = operatorText.ToLowerInvariant() switch
        {
            "eq" => ComparisonOperator.Eq,
            "ne" => ComparisonOperator.Ne,
            "co" => ComparisonOperator.Co,
            "sw" => ComparisonOperator.Sw,
            "ew" => ComparisonOperator.Ew,
            "gt" => ComparisonOperator.Gt,
            "ge" => ComparisonOperator.Ge,
            "lt" => ComparisonOperator.Lt,
            "le" => ComparisonOperator.Le,
            "pr" => ComparisonOperator.Pr,
            "" => throw ErrorAt(operatorStart, "Expected an operator"),
            _ => throw ErrorAt(operatorStart, $"Unknown operator \"{Truncate(operatorText)}\""),
        };
        if (op == ComparisonOperator.Pr) return new ComparisonNode(path, op, null);
        // RFC 7644's own examples write members[value eq"id"]: a quote may follow the operator directly.
        if (!AtEnd && Current == '"') return new ComparisonNode(path, op, ReadLiteral());
        if (AtEnd || !char.IsWhiteSpace(Current)) throw Error(AtEnd ? "Expected a value but the text ended" : $"Expected a space and a value but found '{Current}'");
        SkipWhitespace();
        return new ComparisonNode(path, op, ReadLiteral());
    }

    private FilterLiteral ReadLiteral()
    {
        if (AtEnd) throw Error("Expected a value but the text ended");
        if (Current == '"') return FilterLiteral.String(ReadString());
        var start = _position;
        while (!AtEnd && !IsDelimiter(Current)) _position++;
        var word = _text[start.._position];
        if (word.Equals("true", StringComparison.OrdinalIgnoreCase)) return FilterLiteral.Boolean(true);
        if (word.Equals("false", StringComparison.OrdinalIgnoreCase)) return FilterLiteral.Boolean(false);
        if (word.Equals("null", StringComparison.OrdinalIgnoreCase)) return FilterLiteral.Null;
        if (IsJsonNumber(word)) return FilterLiteral.Number(word);
        throw ErrorAt(start, word.Length == 0
            ? $"Expected a value but found '{Current}'"
            : $"\"{Truncate(word)}\" is not a value (strings must be in double quotes; numbers, true, false and null are bare)");
    }

    private string ReadString()
    {
        var start = _position;
        _position++;
        var builder = new StringBuilder();
        while (true)
        {
            if (AtEnd) throw ErrorAt(start, "Unterminated string");
            var c = Current;
            _position++;
            if (c == '"') return builder.ToString();
            if (c < ' ') throw ErrorAt(_position - 1, "Control character in string");
            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }
            if (AtEnd) throw ErrorAt(start, "Unterminated string");
            var escape = Current;
            _position++;
            switch (escape)
            {
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case '/': builder.Append('/'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u':
                    if (_position + 4 > _text.Length
                        || !ushort.TryParse(_text.AsSpan(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        throw ErrorAt(_position - 2, "Invalid \\u escape");
                    }
                    builder.Append((char)code);
                    _position += 4;
                    break;
                default:
                    throw ErrorAt(_position - 2, $"Invalid escape '\\{escape}'");
            }
        }
    }

    /// <summary>JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, checked by hand.</summary>
    internal static bool IsJsonNumber(string word)
    {
        var i = 0;
        if (i < word.Length && word[i] == '-') i++;
        if (i >= word.Length || !char.IsAsciiDigit(word[i])) return false;
        if (word[i] == '0') i++;
        else while (i < word.Length && char.IsAsciiDigit(word[i])) i++;
        if (i < word.Length && word[i] == '.')
        {
            i++;
            if (i >= word.Length || !char.IsAsciiDigit(word[i])) return false;
            while (i < word.Length && char.IsAsciiDigit(word[i])) i++;
        }
        if (i < word.Length && (word[i] == 'e' || word[i] == 'E'))
        {
            i++;
            if (i < word.Length && (word[i] == '+' || word[i] == '-')) i++;
            if (i >= word.Length || !char.IsAsciiDigit(word[i])) return false;
            while (i < word.Length && char.IsAsciiDigit(word[i])) i++;
        }
        return i == word.Length;
    }

    private string ReadPathToken()
    {
        var start = _position;
        while (!AtEnd && IsPathChar(Current)) _position++;
        return _text[start.._position];
    }

    private static bool IsPathChar(char c) => char.IsAsciiLetterOrDigit(c) || c is ':' or '.' or '-' or '_' or '$';

    private static bool IsDelimiter(char c) => char.IsWhiteSpace(c) || c is '(' or ')' or '[' or ']' or '"';

    private bool TryKeyword(string keyword)
    {
        var save = _position;
        SkipWhitespace();
        if (_position > save
            && _position + keyword.Length < _text.Length
            && string.Compare(_text, _position, keyword, 0, keyword.Length, StringComparison.OrdinalIgnoreCase) == 0
            && (char.IsWhiteSpace(_text[_position + keyword.Length]) || _text[_position + keyword.Length] == '('))
        {
            _position += keyword.Length;
            return true;
        }
        if (_position == save && save > 0 && _text[save - 1] is ')' or ']' or '"'
            && _position + keyword.Length < _text.Length
            && string.Compare(_text, _position, keyword, 0, keyword.Length, StringComparison.OrdinalIgnoreCase) == 0
            && char.IsWhiteSpace(_text[_position + keyword.Length]))
        {
            _position += keyword.Length;
            return true;
        }
        _position = save;
        return false;
    }

    private bool IsNotKeyword()
    {
        if (_position + 3 > _text.Length
            || string.Compare(_text, _position, "not", 0, 3, StringComparison.OrdinalIgnoreCase) != 0)
        {
            return false;
        }
        var after = _position + 3;
        while (after < _text.Length && char.IsWhiteSpace(_text[after])) after++;
        return after < _text.Length && _text[after] == '(';
    }

    private void SkipWhitespace()
    {
        while (!AtEnd && char.IsWhiteSpace(Current)) _position++;
    }

    private void Expect(char expected)
    {
        if (AtEnd) throw Error($"Expected '{expected}' but the text ended");
        if (Current != expected) throw Error($"Expected '{expected}' but found '{Current}'");
        _position++;
    }

    private void Enter()
    {
        if (++_depth > MaxDepth) throw Error($"The filter nests more than {MaxDepth} levels deep");
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "...";

    private ScimException Error(string message) => ErrorAt(_position, message);

    private ScimException ErrorAt(int position, string message) => _isPatchPath
        ? ScimException.InvalidPath($"{message} at position {position + 1} of the path.")
        : ScimException.InvalidFilter($"{message} at position {position + 1} of the filter.");
}
