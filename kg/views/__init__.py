"""networkx views read from a store: stats today; maps' views (literature, evidence, actions) next."""
