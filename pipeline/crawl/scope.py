"""Which URLs a crawl may fetch and which are articles, from rules/crawl_sites.yaml plus command-line overrides."""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field

from rules import load_rules

from .urls import host_of

RULES_FILE = "crawl_sites"


@dataclass(frozen=True)
class SiteRule:
    """Scope rules of one site: host patterns, include/exclude regexes and the article URL pattern."""

    name: str
    hosts: tuple[str, ...]
    include: tuple[re.Pattern, ...]
    exclude: tuple[re.Pattern, ...]
    article: re.Pattern | None

    def matches_host(self, host: str) -> bool:
        """True when `host` is one of this site's hosts (patterns like "*.vnexpress.net" allowed)."""
        return any(fnmatch.fnmatchcase(host, h) for h in self.hosts)


def _compile(patterns) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p) for p in (patterns or ()))


def load_site_rules(rules: dict | None = None) -> tuple[SiteRule, list[SiteRule], tuple[str, ...]]:
    """(default rule, site rules, strip_params) from the YAML rules (or a dict of the same shape)."""
    data = rules if rules is not None else load_rules(RULES_FILE)
    base = data.get("default", {}) or {}
    default = SiteRule("default", ("*",), _compile(base.get("include")), _compile(base.get("exclude")),
                       re.compile(base["article"]) if base.get("article") else None)
    sites = []
    for name, spec in (data.get("sites") or {}).items():
        spec = spec or {}
        sites.append(SiteRule(
            name, tuple(spec.get("hosts") or (name,)), _compile(spec.get("include")),
            default.exclude + _compile(spec.get("exclude")),
            re.compile(spec["article"]) if spec.get("article") else default.article))
    return default, sites, tuple(data.get("strip_params") or ())


@dataclass
class Scope:
    """Decides whether a canonical URL is in scope; built by `Scope.build`."""

    allowed_hosts: set[str]
    site_for_host: dict[str, SiteRule]
    default: SiteRule
    sites: list[SiteRule]
    forced: SiteRule | None = None
    allow: tuple[re.Pattern, ...] = ()
    deny: tuple[re.Pattern, ...] = ()
    strip_params: tuple[str, ...] = ()
    allow_subdomains: bool = True
    _cache: dict[str, SiteRule] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, seed_urls: list[str], site: str | None = None, allow: list[str] | None = None,
              deny: list[str] | None = None, hosts: list[str] | None = None, rules: dict | None = None) -> "Scope":
        """Scope of a crawl: the seeds' hosts (and the hosts of the --site entry, if given) plus extra `hosts`."""
        default, sites, strip = load_site_rules(rules)
        forced = None
        if site:
            names = {s.name: s for s in sites}
            if site not in names and site != "default":
                raise ValueError(f"unknown site rules {site!r}; known: {', '.join(sorted(names))}")
            forced = names.get(site, default)
        allowed = {host_of(u) for u in seed_urls} | {h.lower() for h in (hosts or ())}
        if forced is not None:
            allowed |= {h for h in forced.hosts if "*" not in h}
        return cls(allowed, {}, default, sites, forced, _compile(allow), _compile(deny), strip)

    def rule_for(self, host: str) -> SiteRule:
        """The site rule applying to `host`."""
        if self.forced is not None:
            return self.forced
        if host not in self._cache:
            self._cache[host] = next((s for s in self.sites if s.matches_host(host)), self.default)
        return self._cache[host]

    def host_allowed(self, host: str) -> bool:
        """True when the host is a seed host, a subdomain of one (www./m.), or a host of the forced site."""
        if host in self.allowed_hosts:
            return True
        if self.forced is not None and self.forced.matches_host(host):
            return True
        bare = {h[4:] if h.startswith("www.") else h for h in self.allowed_hosts}
        return self.allow_subdomains and any(host.endswith("." + b) for b in bare if "." in b and not b[0].isdigit())

    def why_out(self, url: str) -> str | None:
        """None when `url` (canonical) is in scope, otherwise the reason it is not."""
        host = host_of(url)
        if not self.host_allowed(host):
            return f"host {host} not in scope"
        for p in self.deny:
            if p.search(url):
                return f"denied by --deny {p.pattern!r}"
        rule = self.rule_for(host)
        for p in rule.exclude:
            if p.search(url):
                return f"excluded by {rule.name} rule {p.pattern!r}"
        includes = rule.include + self.allow
        if includes and not any(p.search(url) for p in includes):
            return f"matches no include pattern of {rule.name}"
        return None

    def is_article(self, url: str) -> bool:
        """True when the URL looks like an article page of its site."""
        rule = self.rule_for(host_of(url))
        return bool(rule.article and rule.article.search(url))
