/**
 * Reason cards: why each agent decided what it decided.
 */
import React from 'react';

import type { IReasonCard } from '../tokens';

export function ReasonCard(props: { card: IReasonCard }): JSX.Element {
  const { card } = props;
  return (
    <li className="jp-AgilabLab-card" data-card={card.id}>
      <div className="jp-AgilabLab-cardHeader">
        <span className="jp-AgilabLab-cardTitle">{card.title}</span>
        <span className={`jp-AgilabLab-badge jp-AgilabLab-risk-${card.risk}`} title="risk">
          {card.risk} risk
        </span>
      </div>
      <div className="jp-AgilabLab-muted">
        {card.agent} · confidence {Math.round(card.confidence * 100)}%
      </div>
      {card.summary && <p>{card.summary}</p>}
      {card.decision && (
        <p>
          <strong>Decision:</strong> {card.decision}
        </p>
      )}
      {card.alternatives.length > 0 && (
        <details>
          <summary>{card.alternatives.length} alternatives considered</summary>
          <ul>
            {card.alternatives.map(alternative => (
              <li key={alternative}>{alternative}</li>
            ))}
          </ul>
        </details>
      )}
    </li>
  );
}

/** Newest card first: the one being worked on is on top. */
export function ReasonCardList(props: { cards: readonly IReasonCard[] }): JSX.Element {
  if (props.cards.length === 0) {
    return <p className="jp-AgilabLab-muted">Reason cards appear here while the agents work.</p>;
  }
  return (
    <ul className="jp-AgilabLab-cards">
      {[...props.cards].reverse().map(card => (
        <ReasonCard key={card.id} card={card} />
      ))}
    </ul>
  );
}
