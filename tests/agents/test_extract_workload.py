"""Extraction of what a workload is sized by (issue 10): number notations, corpus, counted
entities, tokens, images, resolution and data populations, each with evidence and confidence."""

from __future__ import annotations

import pytest

from agilab_lab.agents.extract import extract_constraints
from agilab_lab.agents.extract.numbers import decimal_comma_locale, localise, parse_number


@pytest.mark.parametrize(("text", "value"), [
    ("5 lakh", 5e5), ("2.5 lakh", 2.5e5), ("1 crore", 1e7), ("1,00,00,000", 1e7), ("3 millones", 3e6),
    ("three thousand", 3000), ("45k", 45000), ("1.2M", 1.2e6),
])
def test_number_notations(text, value):
    assert parse_number(text) == value


def test_continental_notation_is_rewritten_only_in_continental_text():
    spanish = "Presupuesto de 12.000 € al mes para los 1.234,5 GB al día"
    assert localise(spanish) == "Presupuesto de 12,000 € al mes para los 1,234.5 GB al día"
    assert len(localise(spanish)) == len(spanish)  # offsets of evidence stay valid
    english = "We keep 12.000 models and 1.5 TB a day."
    assert not decimal_comma_locale(english) and localise(english) == english
    assert localise("CHF 7'500 a month") == "CHF 7,500 a month"
    assert localise("about 1.000.000 rows") == "about 1,000,000 rows"  # unambiguous anywhere


def test_spanish_budget_and_rate_keep_the_original_as_evidence():
    c = extract_constraints("Necesitamos detección de fraude en AWS eu-west-1. El presupuesto es de 12.000 € al mes "
                            "y recibimos 2.500 peticiones por segundo en hora punta.")
    assert c.budget_monthly_usd == pytest.approx(12000 * 1.08)
    assert c.throughput_rps == 2500
    assert "12.000 €" in c.evidence["budget_monthly_usd"] and "2.500 peticiones" in c.evidence["throughput_rps"]
    assert any("EUR" in w for w in c.warnings)


def test_per_day_and_per_month_rates_become_per_second():
    assert extract_constraints("We serve 30 million requests per month.").throughput_rps == pytest.approx(11.574, 1e-3)
    assert extract_constraints("Nous prévoyons 40 000 questions par jour.").throughput_rps == pytest.approx(0.463, 1e-2)
    # a volume is not a rate: "300 GB of images per day" is data, not 300 images a day
    assert extract_constraints("Cameras produce 300 GB of images per day.").throughput_rps is None


def test_corpus_tokens_and_entities_with_evidence():
    c = extract_constraints("RAG assistant over 80,000 PDFs (about 1.6M pages) for 2,000 stores and 45k users, "
                            "~3k tokens per request.")
    assert (c.corpus_documents, c.corpus_pages, c.tokens_per_request) == (80000, 1.6e6, 3000)
    assert c.entity_counts == {"stores": 2000, "users": 45000}
    for field in ("corpus_documents", "corpus_pages", "tokens_per_request", "entity_counts"):
        assert c.evidence[field] and 0 < c.confidence[field] <= 1
    assert extract_constraints("Forecasts for 2,000 stores.").corpus_documents is None


def test_corpus_size_only_in_a_retrieval_text():
    assert extract_constraints("A RAG bot over a 400 GB document corpus.").corpus_gb == 400
    assert extract_constraints("Churn model; we archive 30,000 documents a year.").corpus_documents is None


def test_images_per_day_from_frames_and_sources_and_the_resolution():
    c = extract_constraints("400 cameras each take 2 frames per minute at 1920x1080.")
    assert c.images_per_day == 400 * 2 * 1440 and c.image_resolution == "1920x1080"
    assert extract_constraints("60 cameras at 10 fps each, 720p.").images_per_day == 60 * 10 * 86400
    assert extract_constraints("Stills in 4K.").image_resolution == "3840x2160"


def test_open_questions_name_unstated_sizing():
    questions = " ".join(extract_constraints("A RAG assistant for our lawyers on AWS.").open_questions)
    assert "corpus" in questions and "tokens" in questions
    stated = extract_constraints("A RAG assistant on AWS over 10,000 documents, 1,500 tokens per request.")
    assert not any("corpus" in q or "tokens" in q for q in stated.open_questions)


def test_two_populations_each_with_its_regions_and_rules():
    c = extract_constraints("Support classifier on AWS. EU customers' data stays in eu-west-1 under GDPR; "
                            "US customers' data stays in us-east-1.")
    pops = {p.name: p for p in c.populations}
    assert pops["eu"].regions == ["eu-west-1"] and pops["eu"].compliance == ["gdpr"]
    assert pops["us"].regions == ["us-east-1"] and pops["us"].compliance == []
    assert "EU customers' data" in c.evidence["populations"]
    # one population is the design's own residency, not a population split
    assert extract_constraints("EU customers' data stays in eu-west-1 under GDPR.").populations == []


def test_the_llm_path_fills_workload_fields_the_rules_missed_and_checks_their_evidence():
    """The Anthropic extractor uses the same new fields (real SDK, mock transport)."""
    from agilab_lab.agents.extract import TOOL_NAME, extract
    from agilab_lab.agents.providers.anthropic_provider import AnthropicProvider

    from .anthropic_mock import API_KEY, ScriptedAPI, tool_reply

    text = "Answers for staff from our wiki (2 million pages) on Azure westeurope."
    assert extract_constraints(text).corpus_pages is None  # no retrieval word: the rules leave it
    reply = tool_reply(TOOL_NAME, {
        "cloud": "azure", "corpus_pages": 2e6, "images_per_day": 500,
        "evidence": {"corpus_pages": "2 million pages", "images_per_day": "500 images a day"},
        "confidence": {"corpus_pages": 0.8, "images_per_day": 0.9}})
    provider = AnthropicProvider(api_key=API_KEY, model="claude-test", timeout=5, max_retries=0,
                                 http_client=ScriptedAPI(reply).client())
    result = extract(text, provider)
    assert result.constraints.corpus_pages == 2e6 and "corpus_pages" in result.llm_fields
    assert result.constraints.confidence["corpus_pages"] <= 0.7
    # a value whose quote is not in the text is refused
    assert result.constraints.images_per_day is None and "images_per_day" in result.dropped


def test_model_sizes_named_by_family_and_sources_after_a_comma():
    assert extract_constraints("Serve Llama 3 70B on our own GPUs.").model_params_billion == 70
    assert extract_constraints("We fine-tune Mistral 7B monthly.").model_params_billion == 7
    assert extract_constraints("Llama 3 is our model.").model_params_billion is None
    text = "Anomaly detection for 25,000 IoT devices, each sending one reading per second."
    assert extract_constraints(text).throughput_rps == 25000
