// Word material for synthetic comments: English-like text with a long-tailed vocabulary, plus the Unicode a real archive has.
import type { Author } from "../../scripts/lib/archive/types.ts";
import { Random } from "./random.ts";

/** Function words and common forum vocabulary, most frequent first (Zipf sampling favours the head). */
export const COMMON_WORDS = (
  "the of and to a in is that it for this be not as with on but are you if or have was by can I they " +
  "would about more from at which so an there what one think do than all some like we just their will " +
  "other also because people how when only could even much model any these its most should evidence " +
  "argument point probably seems way something make really those thing things into then them case " +
  "well our agree question sense however true might many claim reason world example actually different " +
  "less without being same good example view problem whether though over between very need where " +
  "value values belief beliefs utility agent agents decision theory prior priors update updates " +
  "probability bayesian alignment training network networks gradient function functions model models " +
  "research result results paper data experiment experiments human humans feature features intuition " +
  "explanation account frame framing concept concepts distinction approach consider considering meaning " +
  "hypothesis simple complex important interesting plausible likely unlikely strong weak general specific " +
  "physical mental causal causation correlation inference learning predict prediction predictions " +
  "optimize optimization objective reward rewards policy policies system systems structure level levels " +
  "behavior behaviour outcome outcomes risk risks expected cost costs benefit benefits market markets " +
  "incentive incentives coordination community post comment comments discussion author reader readers " +
  "writing wrote written said says saying seem seemed mean means meant understand understanding " +
  "confused confusion knowledge know knew believe believed assume assumption assumptions evidence " +
  "counterfactual hypothetical scenario scenarios future past present long short term large small " +
  "number numbers estimate estimates percent roughly exactly approximately entirely completely partly"
).split(" ");

/** Content words from the vocabulary's head: candidates for a search word present in many comments. */
export const QUERY_CANDIDATES = ["evidence", "probability", "model", "argument", "question", "agents", "alignment", "utility"];

/** Words with accents, as in names and loanwords a forum uses. */
export const ACCENTED_WORDS = ["café", "naïve", "déjà vu", "Schrödinger", "Gödel", "Erdős", "façade", "résumé", "Zürich", "São Paulo", "coöperate", "Poincaré", "Łukasiewicz", "Dvořák", "señor", "über", "Bézier", "jalapeño", "Ångström", "crème brûlée"];

/** Whole sentences in other scripts: comments quote them, and titles carry them. */
export const CJK_SENTENCES = ["这是一个关于概率的问题。", "我认为这个论点不成立。", "それは興味深い考えです。", "確率の解釈について。", "이 주장은 흥미롭습니다.", "機械学習と意思決定理論。"];

export const EMOJI = ["🤔", "👍", "🎉", "😅", "🧠", "📈", "🔥", "✅", "🙂", "🤷‍♀️", "👩🏽‍🔬", "🇫🇷"];

const ONSETS = ["b", "br", "c", "ch", "d", "dr", "f", "g", "gr", "h", "j", "k", "l", "m", "n", "p", "pl", "qu", "r", "s", "st", "sh", "t", "tr", "v", "w", "z"];
const NUCLEI = ["a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "y"];
const CODAS = ["", "", "n", "r", "s", "t", "l", "m", "nd", "st", "x", "ck"];

/**
 * Made-up words for the long tail: a real archive of 100,000 comments uses tens of thousands of
 * distinct words, and the search index's size depends on that, not on the common head.
 */
export function pseudoWords(count: number, random: Random): string[] {
  const words = new Set<string>();
  while (words.size < count) {
    const syllables = random.int(1, 3);
    let word = "";
    for (let i = 0; i < syllables; i++) word += random.pick(ONSETS) + random.pick(NUCLEI) + (i === syllables - 1 ? random.pick(CODAS) : "");
    if (!COMMON_WORDS.includes(word)) words.add(word);
  }
  return [...words];
}

const ADJECTIVES = ["Bayesian", "Hidden", "Simple", "Strong", "Weak", "Naive", "Robust", "Causal", "Deep", "Shallow", "Open", "Closed", "Implicit", "Explicit", "Local", "Global", "Early", "Late", "Noisy", "Hard", "Soft", "Fragile", "Stable", "Inner", "Outer", "Practical", "Formal", "Informal", "Quiet", "Unreasonable", "Slow", "Fast", "Missing", "Lost", "Emergent", "Recursive", "Modest", "Radical", "Cheap", "Expensive"];
const NOUNS = ["Priors", "Agents", "Incentives", "Markets", "Models", "Gradients", "Beliefs", "Values", "Forecasts", "Heuristics", "Norms", "Institutions", "Arguments", "Abstractions", "Optimizers", "Goals", "Updates", "Proofs", "Paradoxes", "Tradeoffs", "Signals", "Games", "Coordination", "Alignment", "Interpretability", "Selection", "Evolution", "Compression", "Inference", "Uncertainty", "Calibration", "Epistemics", "Trust", "Status", "Research", "Progress", "Timelines", "Takeoff", "Deception", "Corrigibility", "Embedding", "Bias", "Variance", "Noise", "Memory", "Attention", "Language", "Meaning", "Counterfactuals", "Anthropics"];
const PATTERNS: ((r: Random) => string)[] = [
  (r) => `${r.pick(ADJECTIVES)} ${r.pick(NOUNS)} and ${r.pick(NOUNS)}`,
  (r) => `Why ${r.pick(NOUNS)} Beat ${r.pick(NOUNS)}`,
  (r) => `${r.pick(NOUNS)}: A ${r.pick(ADJECTIVES)} Take on ${r.pick(NOUNS)}`,
  (r) => `On ${r.pick(ADJECTIVES)} ${r.pick(NOUNS)} in ${r.pick(NOUNS)}`,
  (r) => `The ${r.pick(ADJECTIVES)} Case for ${r.pick(NOUNS)}`,
  (r) => `${r.pick(ADJECTIVES)} ${r.pick(NOUNS)} Are ${r.pick(ADJECTIVES)} ${r.pick(NOUNS)}`,
  (r) => `Against ${r.pick(ADJECTIVES)} ${r.pick(NOUNS)}`,
  (r) => `Notes on ${r.pick(NOUNS)}, ${r.pick(NOUNS)} and ${r.pick(NOUNS)}`,
];

/** Decorations that make some titles exercise the header parser and the slugger (see archive-format.md). */
const TITLE_VARIANTS: { share: number; apply: (title: string, r: Random) => string }[] = [
  { share: 0.06, apply: (t, r) => `${t} — ${r.pick(ACCENTED_WORDS)}` },
  { share: 0.03, apply: (_t, r) => r.pick(CJK_SENTENCES).replace(/[。.]$/u, "") + ` (${r.pick(NOUNS)})` },
  { share: 0.03, apply: (t, r) => `${t} ${r.pick(EMOJI)}` },
  { share: 0.02, apply: (t, r) => `${t} · Part ${r.int(2, 9)}` },
  { share: 0.01, apply: (t) => t.replace(/ /, " **really** ") },
  { share: 0.02, apply: (t) => `"${t}": Q&A #${t.length} / follow-up` },
];

/** A post title; unique titles are the caller's job (a thread's identity is its title). */
export function threadTitle(random: Random): string {
  const base = random.pick(PATTERNS)(random);
  let roll = random.next();
  for (const variant of TITLE_VARIANTS) {
    if (roll < variant.share) return variant.apply(base, random);
    roll -= variant.share;
  }
  return base;
}

const USERNAME_PARTS = ["quantum", "lantern", "meadow", "ember", "cobalt", "orbit", "sable", "thistle", "vector", "harbor", "maple", "prism", "falcon", "cinder", "juniper", "basalt", "willow", "zephyr", "onyx", "fable"];
const FIRST_NAMES = ["Ada", "Wei", "Amara", "Jonas", "Lucía", "Kenji", "Priya", "Ola", "Zoë", "Mateus", "Inès", "Björn", "Hana", "Tomás", "Nadia", "Ravi"];
const LAST_NAMES = ["Dai", "Okafor", "Lindqvist", "García", "Tanaka", "Sharma", "Nowak", "Müller", "Dubois", "Silva", "Kim", "Haddad", "O'Brien", "Novák", "Rossi", "Ivanova"];

/**
 * Forum handles: mostly slug-like, some with capitals (their URLs get a digest), a quarter shown
 * as `Display Name (username)`; the index keeps usernames unique.
 */
export function authorIdentity(index: number, random: Random): Author {
  const base = `${random.pick(USERNAME_PARTS)}${random.chance(0.5) ? "_" : ""}${random.pick(USERNAME_PARTS)}`;
  const username = random.chance(0.15) ? `${base[0]?.toUpperCase() ?? ""}${base.slice(1)}${index}` : `${base}${index}`;
  const name = random.chance(0.25) ? `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}` : username;
  return { username, name };
}
