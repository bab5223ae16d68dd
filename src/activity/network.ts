/**
 * DuckDB macros shared by every log source, created on each connection of the store.
 *
 * `network_of(ip)`: the source network an address belongs to, as the baselines compare them: an IPv4
 * address's /24, an IPv6 address's /48 (the usual size of one site's allocation, RFC 6177), both in
 * CIDR notation with the host bits zeroed. Anything else (CloudTrail's `sourceIPAddress` is a service
 * name such as `ec2.amazonaws.com` or `AWS Internal` when a service calls on the caller's behalf,
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html)
 * is kept as it is. IPv6 `::` is expanded to its zero groups first, so `2001:db8::1` is in `2001:db8:0::/48`.
 */
export const NETWORK_MACROS = [
  `CREATE OR REPLACE TEMP MACRO ipv6_groups(ip) AS (
     CASE WHEN contains(ip, '::') THEN list_concat(
       list_filter(string_split(split_part(ip, '::', 1), ':'), lambda g: g <> ''),
       list_transform(
         range(greatest(8
           - len(list_filter(string_split(split_part(ip, '::', 1), ':'), lambda g: g <> ''))
           - len(list_filter(string_split(split_part(ip, '::', 2), ':'), lambda g: g <> '')), 0)),
         lambda i: '0'),
       list_filter(string_split(split_part(ip, '::', 2), ':'), lambda g: g <> ''))
     ELSE string_split(ip, ':') END)`,
  `CREATE OR REPLACE TEMP MACRO network_of(ip) AS (
     CASE
       WHEN ip IS NULL THEN NULL
       WHEN regexp_full_match(ip, '(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}')
         THEN regexp_extract(ip, '^([0-9]+\\.[0-9]+\\.[0-9]+)\\.', 1) || '.0/24'
       WHEN contains(ip, ':') AND regexp_full_match(ip, '[0-9A-Fa-f:.]+')
         THEN array_to_string(list_transform(ipv6_groups(lower(ip))[1:3],
                lambda g: coalesce(nullif(ltrim(g, '0'), ''), '0')), ':') || '::/48'
       ELSE ip
     END)`,
];
