using CsCheck;
using ScimFunctions.Storage;

namespace ScimFunctions.Tests.Storage;

public sealed class PartitionLayoutTests
{
    [Fact]
    public void Escaped_values_never_hold_characters_Table_Storage_forbids_nor_the_separator()
    {
        Gen.String[Gen.Char, 0, 400].Sample(value =>
        {
            var key = PartitionLayout.Escape(value);
            Assert.True(key.Length <= PartitionLayout.MaxEscapedValueLength);
            Assert.DoesNotContain(key, c => c is '/' or '\\' or '#' or '?' or '|' || char.IsControl(c));
            for (var i = 0; i < key.Length; i++)
            {
                if (char.IsHighSurrogate(key[i])) Assert.True(char.IsLowSurrogate(key[++i]));
                else Assert.False(char.IsLowSurrogate(key[i]));
            }
        });
    }

    [Fact]
    public void Escaping_is_injective()
    {
        Gen.Select(Gen.String[Gen.Char['#', '|'], 0, 250], Gen.String[Gen.Char['#', '|'], 0, 250]).Sample((a, b) =>
            Assert.Equal(a == b, PartitionLayout.Escape(a) == PartitionLayout.Escape(b)));
        Assert.NotEqual(PartitionLayout.Escape("%7C"), PartitionLayout.Escape("|"));
        Assert.NotEqual(PartitionLayout.Escape("a|b"), PartitionLayout.Escape("a") + "|" + PartitionLayout.Escape("b"));
    }

    [Fact]
    public void Folding_matches_ordinal_ignore_case()
    {
        Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 0, 20], Gen.Bool).Sample((value, upper) =>
        {
            var other = upper ? value.ToUpperInvariant() : value.ToLowerInvariant();
            Assert.Equal(PartitionLayout.Folded(value), PartitionLayout.Folded(other));
        });
        Assert.NotEqual(PartitionLayout.Folded("alice"), PartitionLayout.Folded("alice2"));
    }
}
