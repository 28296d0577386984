using System.Net;
using System.Net.Sockets;

namespace ScimFunctions.Webhooks;

/// <summary>
/// Addresses a webhook may not reach outside Development: loopback, unspecified, private (RFC 1918, unique
/// local), carrier-grade NAT (100.64/10), link-local (which holds the cloud metadata services, 169.254.169.254),
/// Azure's platform address 168.63.129.16, benchmarking, multicast and reserved ranges. IPv4-mapped IPv6 is
/// judged as the IPv4 address it carries, so <c>::ffff:10.0.0.1</c> is no way around the rules.
/// </summary>
public static class WebhookAddressRules
{
    private static readonly (IPAddress Network, int Bits)[] ForbiddenV4 =
    [
        (IPAddress.Parse("0.0.0.0"), 8),
        (IPAddress.Parse("10.0.0.0"), 8),
        (IPAddress.Parse("100.64.0.0"), 10),
        (IPAddress.Parse("127.0.0.0"), 8),
        (IPAddress.Parse("169.254.0.0"), 16),
        (IPAddress.Parse("168.63.129.16"), 32),
        (IPAddress.Parse("172.16.0.0"), 12),
        (IPAddress.Parse("192.0.0.0"), 24),
        (IPAddress.Parse("192.168.0.0"), 16),
        (IPAddress.Parse("198.18.0.0"), 15),
        (IPAddress.Parse("224.0.0.0"), 4),
        (IPAddress.Parse("240.0.0.0"), 4),
    ];

    private static readonly (IPAddress Network, int Bits)[] ForbiddenV6 =
    [
        (IPAddress.Parse("::"), 127), // :: and ::1
        (IPAddress.Parse("64:ff9b::"), 96), // NAT64 can reach any IPv4, private ones included
        (IPAddress.Parse("fc00::"), 7),
        (IPAddress.Parse("fe80::"), 10),
        (IPAddress.Parse("fec0::"), 10),
        (IPAddress.Parse("ff00::"), 8),
    ];

    public static bool IsForbidden(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var rules = address.AddressFamily == AddressFamily.InterNetwork ? ForbiddenV4 : ForbiddenV6;
        return rules.Any(rule => InNetwork(address, rule.Network, rule.Bits));
    }

    private static bool InNetwork(IPAddress address, IPAddress network, int bits)
    {
        if (address.AddressFamily != network.AddressFamily) return false;
        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        for (var i = 0; i < a.Length && bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xFF : (byte)(0xFF << (8 - bits));
            if ((a[i] & mask) != (n[i] & mask)) return false;
        }
        return true;
    }
}
