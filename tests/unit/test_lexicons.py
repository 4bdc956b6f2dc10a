"""The concept lexicons of rules/lexicons/ for de, fr, es, it, pt, nl, zh and ja, through the real concept rules.

Each language has sentences that must be reported by review-incentive, biased-review-request, sales-claim
and off-platform-contact, written in varied word orders, inflections and registers, and sentences that
must not be (free shipping, gift boxes, refund policies, a neutral review request, negated offers,
product features). The rules run with their regular-expression ``patterns`` removed, so a sentence is
found by the language's lexicon or not at all; the full rules must still report every bad sentence.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from listing_lint import Config
from listing_lint.engine.concepts import find_concepts
from listing_lint.engine.lexicon import bundled_lexicon_paths, load_lexicons
from listing_lint.engine.lint import RuleSet, specs_for
from listing_lint.model import Field, FieldKind, Listing

RULES = ("review-incentive", "biased-review-request", "sales-claim", "off-platform-contact")
LANGS = ("de", "fr", "es", "it", "pt", "nl", "zh", "ja")
LEXICONS = Path(__file__).resolve().parents[2] / "rules" / "lexicons"
MARKETPLACE = {
    "de": "amazon.de", "fr": "amazon.fr", "es": "amazon.es", "it": "amazon.it", "pt": "amazon.com.br",
    "nl": "amazon.nl", "zh": "amazon.cn", "ja": "amazon.co.jp",
}
"""Where each language's copy is sold: copy with no stop words (a short title) is read in its language."""

BAD: dict[str, dict[str, list[str]]] = {
    "de": {
        "review-incentive": [
            "Würden Sie uns auf Amazon bewerten? Als Dankeschön verlängern wir Ihre Garantie.",
            "Schreiben Sie eine Bewertung, die nächste Kartusche geht aufs Haus.",
            "Bewertung hinterlassen? Dann schicken wir Ihnen einen Gutschein.",
            "Ein kleines Geschenk für Ihre ehrliche Bewertung!",
            "Geschenk für eine 5-Sterne-Bewertung",
            "Ihre Bewertung gegen einen Gutschein",
            "Schreiben Sie eine Rezension und Sie erhalten einen Amazon-Gutschein über 15 Euro.",
            "Einen Gutschein schenken wir jedem Kunden, der eine Bewertung hinterlässt.",
            "Als kleines Dankeschön für deine Produktbewertung bekommst du 10 % Rabatt.",
            "Nachdem Sie uns bewertet haben, verlängern wir die Garantie auf 3 Jahre.",
            "Kundenbewertung abgeben und am Gewinnspiel teilnehmen!",
            "Wir erstatten Ihnen den Kaufpreis im Austausch für eine ehrliche Meinung.",
            "Sammeln Sie Treuepunkte für jede veröffentlichte Rezension.",
            "Bewerte uns mit fünf Sternen und sichere dir ein exklusives Angebot.",
            "Amazon-Händler bieten Geld für Fünf-Sterne-Bewertungen.",
            "Wer bewertet, bekommt 2 Jahre extra Garantie.",
            "Nach Veröffentlichung Ihrer Bewertung überweisen wir Ihnen 15 € per PayPal.",
            "Unter allen Rezensenten verlosen wir jeden Monat drei Einkaufsgutscheine.",
            "Jeden Monat losen wir unter allen Rezensentinnen einen Gutschein aus.",
        ],
        "biased-review-request": [
            "Bitte bewerten Sie uns nur, wenn Sie 100% zufrieden sind.",
            "Bitte geben Sie uns eine positive Bewertung.",
            "Wir würden uns über eine 5-Sterne-Rezension sehr freuen.",
            "Wenn Sie zufrieden sind, hinterlassen Sie bitte eine Bewertung.",
            "Bitte kontaktieren Sie uns, bevor Sie eine negative Bewertung schreiben.",
            "Gefällt Ihnen unser Produkt? Dann freuen wir uns über Ihre 5 Sterne!",
            "Wenn Sie unser Produkt mögen, hinterlassen Sie bitte eine Bewertung.",
            "Zufrieden? Dann freuen wir uns über eine Bewertung.",
            "Nicht zufrieden? Kontaktieren Sie uns zuerst und schreiben Sie erst danach eine Bewertung.",
        ],
        "sales-claim": [
            "Der meistverkaufte Akkuschrauber Deutschlands.",
            "Bereits über 3 Millionen Mal verkauft.",
            "Mehr als 500.000 zufriedene Kunden vertrauen uns.",
            "Bereits über 20.000 zufriedene Käufer in ganz Deutschland",
            "Schon mehr als 50.000 glückliche Kunden vertrauen uns.",
            "Bereits 20 000 zufriedene Haushalte.",
            "Mehr als 5.000 überzeugte Nutzer in ganz Europa.",
            "Schon 3x ausverkauft – jetzt endlich wieder auf Lager!",
            "Unseren Entkalker nutzen schon 30.000 Haushalte.",
        ],
        "off-platform-contact": [
            "Registrieren Sie Ihre Garantie auf unserer Website.",
            "Abonnieren Sie unseren Newsletter für Rezepte.",
            "Besuchen Sie unsere Website für weitere Farben.",
            "Folgen Sie uns auf Instagram für Rezepte und Tipps.",
            "Bestellen Sie direkt bei uns in unserem Onlineshop.",
            "Schauen Sie auch in unserem eBay-Shop vorbei!",
            "Mehr Rezepte findest du auf unserem Instagram-Kanal.",
            "Schau auf unserem YouTube-Kanal vorbei für Tutorials.",
            "Viele Ideen findet ihr auf unserem TikTok-Account.",
            "Folgen Sie uns auf YT.",
            "Bei Fragen erreichen Sie uns per WhatsApp unter +49 151 23456789.",
        ],
    },
    "fr": {
        "review-incentive": [
            "Pourriez-vous laisser un avis sur Amazon ? En remerciement, nous vous offrons un bon d'achat.",
            "Laissez un avis : la prochaine recharge est offerte par la maison.",
            "Vous avez laissé un avis ? Écrivez-nous pour recevoir un bon d'achat.",
            "Un petit cadeau pour votre avis !",
            "Un cadeau pour chaque avis 5 étoiles",
            "Laissez un commentaire sur Amazon et recevez une carte cadeau de 10 €.",
            "Une remise de 20 % vous sera offerte après votre évaluation.",
            "En remerciement de votre avis, nous vous envoyons un accessoire offert.",
            "Donnez-nous votre rétroaction et obtenez un rabais sur votre prochain achat.",
            "Chaque avis publié vous fait gagner des points de fidélité.",
            "Nous prolongeons la garantie de deux ans en échange d'une évaluation.",
            "Publiez votre avis pour participer au tirage au sort.",
            "Notez-nous 5 étoiles et profitez de la livraison offerte sur votre prochaine commande.",
            "Testeurs recherchés : produit gratuit contre un avis honnête.",
            "Votre avis compte ! Laissez une review et participez à notre tirage au sort pour gagner un iPad",
        ],
        "biased-review-request": [
            "Merci de nous laisser un avis positif.",
            "Donnez-nous 5 étoiles si le produit vous plaît.",
            "Si vous êtes content de votre achat, merci de laisser une évaluation.",
            "Contactez-nous avant de publier un commentaire négatif.",
            "Un avis 5 étoiles nous aiderait énormément.",
            "Si le produit vous a plu, pensez à nous laisser 5 étoiles.",
            "Ravi de votre achat ? Laissez-nous un avis sur Amazon.",
            "Un problème ? Contactez-nous avant de laisser un avis.",
        ],
        "sales-claim": [
            "La crème la plus vendue en France.",
            "Plus de 5 millions d'unités vendues dans le monde.",
            "Déjà plus de 200 000 clients satisfaits.",
            "Plus de 100 000 exemplaires écoulés",
            "Nous avons écoulé plus de 30 000 boîtes.",
            "Déjà 100 000 clients heureux !",
            "Plus de 100 000 commandes livrées",
        ],
        "off-platform-contact": [
            "Commandez vos recharges sur notre site.",
            "Enregistrez votre garantie sur notre site internet.",
            "Inscrivez-vous à notre newsletter pour des recettes.",
            "Visitez notre site officiel pour découvrir toute la collection.",
            "Suivez-nous sur Facebook pour nos nouveautés.",
            "Retrouvez-nous sur notre boutique en ligne.",
            "Suivez-nous sur Insta pour plus d'idées.",
        ],
    },
    "es": {
        "review-incentive": [
            "¿Podrías dejar una reseña en Amazon? Como agradecimiento, te enviamos un cupón.",
            "¿Has dejado una reseña? Escríbenos y te enviamos un cupón.",
            "Un pequeño regalo para su opinión de 5 estrellas",
            "Un cupón de descuento para su reseña",
            "Escriba una reseña y reciba un cupón de descuento del 15 %.",
            "Te enviamos una tarjeta regalo cuando publiques tu valoración.",
            "Por dejarnos tu opinión te regalamos un accesorio.",
            "Como agradecimiento por su calificación, ampliamos la garantía un año.",
            "Deja tu comentario y entra en el sorteo de una tablet.",
            "Reembolso completo a cambio de una valoración de cinco estrellas.",
            "Valóranos en Amazon y acumula puntos de fidelidad.",
            "Tras publicar su reseña le enviamos 15 € por PayPal.",
            "Se buscan probadores: producto gratis a cambio de una opinión honesta.",
            "Según la investigación, las tarjetas decían: 'Publique una valoración de cinco estrellas y le devolvemos 15 euros'.",
        ],
        "biased-review-request": [
            "Por favor, solo déjanos una reseña si estás 100% satisfecho.",
            "Por favor, déjenos una valoración positiva.",
            "Danos 5 estrellas si te ha gustado el producto.",
            "Si está satisfecho con su compra, deje una reseña en Amazon.",
            "Contáctanos antes de escribir una opinión negativa.",
            "Una valoración de 5 estrellas nos ayudaría mucho.",
            "Si te ha gustado, no olvides dejarnos 5 estrellas.",
            "¿Te gusta? Déjanos una reseña.",
            "¿No estás satisfecho? Contáctanos antes de dejar una reseña.",
        ],
        "sales-claim": [
            "Ya son 20.000 hogares los que confían en nuestro purificador.",
            "La freidora más vendida de España.",
            "Más de 2 millones de unidades vendidas en todo el mundo.",
            "Ya son más de 100.000 clientes satisfechos.",
            "Ya son 100.000 clientes felices con nuestro producto.",
            "Agotado 3 veces en 2023, ¡ahora de vuelta!",
        ],
        "off-platform-contact": [
            "Pide recambios en nuestra web.",
            "Registra tu garantía en nuestra página web.",
            "Suscríbete a nuestro boletín para recibir recetas.",
            "Visita nuestra página web para ver más colores.",
            "Síguenos en Instagram para descubrir recetas.",
            "Compra directamente en nuestra tienda online.",
            "Síguenos en IG para más recetas.",
        ],
    },
    "it": {
        "review-incentive": [
            "Lascia una recensione: il prossimo filtro lo offre la casa.",
            "Hai lasciato una recensione? Scrivici per ricevere un buono.",
            "Un piccolo regalo per la tua recensione!",
            "Scrivi una recensione e ricevi un buono sconto da 10 €.",
            "Ti rimborsiamo la spedizione dopo aver lasciato una valutazione.",
            "Per ogni feedback pubblicato ti regaliamo un omaggio.",
            "In cambio della tua opinione estendiamo la garanzia di due anni.",
            "Lascia un giudizio e partecipa all'estrazione di un tablet.",
            "Come ringraziamento per il tuo voto riceverai punti fedeltà.",
            "Valutaci su Amazon e ottieni un'offerta speciale.",
            "Dopo la pubblicazione della recensione ti inviamo 15 € con PayPal.",
        ],
        "biased-review-request": [
            "Lascia una recensione solo se sei soddisfatto al 100%.",
            "Per favore lasciaci una recensione positiva.",
            "Dacci 5 stelle se il prodotto ti è piaciuto.",
            "Se sei soddisfatto dell'acquisto, lascia una valutazione.",
            "Contattaci prima di scrivere un commento negativo.",
            "Soddisfatto? Lasciaci una recensione su Amazon.",
            "Non sei soddisfatto? Contattaci prima di lasciare una recensione.",
        ],
        "sales-claim": [
            "La friggitrice più venduta in Italia.",
            "Oltre 3 milioni di unità vendute nel mondo.",
            "Più di 200.000 clienti soddisfatti.",
            "Già 100.000 clienti felici",
            "Più di 100.000 utenti felici con il nostro prodotto.",
            "Moka Espresso 6 Tazze – N.1 in classifica vendite",
            "Prima in classifica vendite Amazon",
            "Top 1% dei prodotti su Amazon nella categoria Casa",
        ],
        "off-platform-contact": [
            "Ordina i ricambi sul nostro sito.",
            "Registra la garanzia sul nostro sito web.",
            "Iscriviti alla nostra newsletter per ricette esclusive.",
            "Visita il nostro sito ufficiale per altri colori.",
            "Seguici su Instagram per ricette e consigli.",
            "Acquista direttamente nel nostro negozio online.",
            "Seguici su IG per nuove ricette.",
            "Trovaci su FB e YT.",
        ],
    },
    "pt": {
        "review-incentive": [
            "Deixe uma avaliação e o próximo filtro é por conta da casa.",
            "Deixou uma avaliação? Fale conosco e receba um cupom.",
            "Um presente para a sua avaliação",
            "Um cupom de desconto para sua avaliação",
            "Escreva uma avaliação e receba um cupom de 10% de desconto.",
            "Ganhe um vale-presente ao deixar seu comentário na Amazon.",
            "Em troca da sua opinião, enviamos um brinde.",
            "Após avaliar o produto, estendemos a garantia por mais um ano.",
            "Avalie nossa loja e concorra a um sorteio.",
            "Como agradecimento pela sua resenha, devolvemos o seu dinheiro.",
            "Depois de publicar sua avaliação, enviamos R$ 20 via Pix.",
        ],
        "biased-review-request": [
            "Por favor, deixe uma avaliação positiva.",
            "Se você gostou do produto, deixe uma avaliação de 5 estrelas.",
            "Entre em contato conosco antes de deixar um comentário negativo.",
            "Se você gostou, não esqueça de nos dar 5 estrelas.",
            "Gostou? Deixe uma avaliação.",
            "Não gostou? Fale conosco antes de deixar uma avaliação.",
        ],
        "sales-claim": [
            "A fritadeira mais vendida do Brasil.",
            "Mais de 1 milhão de unidades vendidas.",
            "Já 100.000 clientes felizes.",
        ],
        "off-platform-contact": [
            "Compre refis no nosso site.",
            "Cadastre seu produto no nosso site para ganhar mais um ano de garantia.",
            "Inscreva-se na nossa newsletter para receber receitas.",
            "Visite nossa loja virtual para ver mais modelos.",
            "Siga-nos no Instagram para novidades.",
            "Chama no zap para pedidos no atacado.",
            "Siga a gente no IG para ver mais receitas com você.",
        ],
    },
    "nl": {
        "review-incentive": [
            "Laat een review achter, het volgende filter is van het huis.",
            "Een review achtergelaten? Mail ons voor een cadeaubon.",
            "Een kado voor een 5-sterren review",
            "Een cadeautje voor een eerlijke recensie",
            "Schrijf een recensie en ontvang een tegoedbon van 5 euro.",
            "Na het achterlaten van een beoordeling krijgt u uw geld terug.",
            "Als bedankje voor je review sturen we je een gratis product.",
            "Laat een beoordeling achter en maak kans op een tablet.",
            "Voor elke review ontvangt u 15% korting op uw volgende bestelling.",
            "Na het plaatsen van uw recensie maken wij 15 euro over via PayPal.",
        ],
        "biased-review-request": [
            "Geef ons alstublieft een positieve beoordeling.",
            "Als u tevreden bent, laat dan een review achter.",
            "Neem contact met ons op voordat u een negatieve review schrijft.",
            "Vond je het leuk? Vergeet dan niet ons 5 sterren te geven.",
            "Tevreden? Laat een review achter.",
            "Niet tevreden? Neem contact op voordat u een review schrijft.",
        ],
        "sales-claim": [
            "De best verkochte stofzuiger van Nederland.",
            "Al meer dan 2 miljoen keer verkocht.",
            "Al jaren de nummer 1 van Nederland.",
            "We hebben al 100.000 blije klanten en zij zijn tevreden.",
        ],
        "off-platform-contact": [
            "Bestel navullingen in onze webshop.",
            "Meld je aan voor onze nieuwsbrief.",
            "Bezoek onze website voor meer kleuren.",
            "Volg ons op Instagram voor recepten.",
            "Volg ons op Insta voor nieuwe recepten.",
        ],
    },
    "zh": {
        "review-incentive": [
            "能给我们写个评价吗？我们会送您一张优惠券。",
            "给五星好评即可领取10元红包。",
            "晒图评价后联系客服返现8元。",
            "好评截图发给我们，送您一份精美赠品。",
            "写评价送优惠券，下次购物可用。",
            "追评满30字即可获得积分奖励。",
            "以五星好评换取延保一年。",
            "凭好评截图可申请全额退款。",
            "晒单追评可获赠品一份。",
            "评价满20字送运费险。",
            "參與評價即可獲得購物金。",
            "亲，收到货后给个五星好评，截图发客服可领取3元红包哦。",
            "晒图评论即可享受延长一年质保。",
            "好评后联系客服，质保延长至3年。",
            "晒单即可获得延长12个月保修。",
            "评价后保修期延长半年。",
        ],
        "biased-review-request": [
            "如果您满意，请给我们五星好评。",
            "麻烦给个好评哦，谢谢亲！",
            "有问题请先联系客服，不要直接给差评。",
            "您的五星好评是我们前进的动力。",
            "喜欢吗？欢迎留下评价",
            "不满意吗？请先联系我们再评价",
        ],
        "sales-claim": [
            "年销量突破50万台的经典款。",
            "全网热销，好评如潮。",
            "品类销量第一的榨汁机。",
            "累计售出超过50000件，深受用户信赖",
            "已卖出30000台，品质有保障。",
            "售出超过8000单，好评不断。",
            "全球售出1,000,000件。",
            "月销过万，回购率高",
            "月销千单的人气款。",
            "年销十万+，值得信赖。",
            "销量过千的热门款式。",
        ],
        "off-platform-contact": [
            "关注我们的公众号领取更多福利。",
            "加微信好友获取使用教程。",
            "欢迎访问我们的官网选购更多款式。",
            "加入我们的QQ群领取优惠。",
            "加V了解更多优惠",
            "加v领取优惠券。",
            "加薇获取安装视频。",
            "加微领取赠品。",
            "+V咨询更多款式。",
            "欢迎来我们的小红书看更多搭配。",
            "来我们抖音看使用教程。",
            "搜我们的抖音号看更多视频。",
            "留下五星評價即可獲得免費贈品一份，請私訊我們的LINE。",
        ],
    },
    "ja": {
        "review-incentive": [
            "Amazonでレビューを書いていただけますか？お礼にギフト券をお送りします。",
            "商品レビューを書いていただいたお客様にクーポンを差し上げます。",
            "口コミを投稿すると500円分のギフト券がもらえます。",
            "星5評価をつけてくださった方に全額返金いたします。",
            "レビューのお礼として保証期間を1年延長します。",
            "感想を投稿してくれた方の中から抽選で景品をプレゼント。",
            "評価と引き換えに次回20%割引。",
            "★5評価でAmazon ギフト券1000円分をプレゼント！",
            "レビュー投稿後、PayPayで500円をお送りします。",
            "評価をいただいたお客様には保証期間を2年に延長いたします。",
            "レビューを投稿してくださった方には、もれなく次回使える10%オフクーポンをお送りします。",
            "商品到着後にレビューを書いていただくと、Amazonギフト券をプレゼントいたします。",
        ],
        "biased-review-request": [
            "ご満足いただけましたら、ぜひレビューをお願いいたします。",
            "高評価をお願いします。",
            "低評価の前に、まずはご連絡ください。",
            "星5つの評価をいただけると励みになります。",
            "気に入っていただけたら、星5つをつけていただけると嬉しいです。",
            "気に入った？レビューしてね！",
            "気に入りましたか\nレビューをお願いします",
        ],
        "sales-claim": [
            "累計出荷50万台を突破した人気モデル。",
            "ランキングで1位を獲得しました。",
            "売上No.1の電動歯ブラシ。",
        ],
        "off-platform-contact": [
            "楽天市場店でもお買い求めいただけます。",
            "公式サイトもぜひご覧ください。",
            "インスタもフォローしてください。",
            "楽天市場の公式ショップで検索してください。",
            "ご質問はLINE公式アカウントからお気軽にどうぞ。",
            "詳しくはインスタグラム公式ページをご覧ください。",
            "最新情報はインスタグラムで発信中！ぜひフォローしてください。",
            "使い方動画はYouTubeで配信中です。",
            "新商品情報をインスタで発信しています。",
        ],
    },
}

GOOD: dict[str, list[str]] = {
    "de": [
        "Speichert bis zu 10.000 Kunden im Adressbuch.",
        "Versand auf unsere Kosten, Bewertungen lesen Sie auf Amazon.",
        "Bewertung gelesen? Dann wissen Sie, warum Kunden uns lieben.",
        "Kabelbinder 1.000 Stück für Haushalt und Werkstatt.",
        "Geschenk für Männer mit Top-Bewertungen.",
        "Perfektes Geschenk für Mama. Über 500 5-Sterne-Bewertungen!",
        "Kostenloser Versand und kostenlose Rücksendung innerhalb von 30 Tagen.",
        "Ideal als Geschenk für Weihnachten, in einer Geschenkbox verpackt.",
        "Volle Rückerstattung innerhalb von 30 Tagen, wenn Ihnen das Produkt nicht gefällt.",
        "Wir freuen uns über eine ehrliche Bewertung.",
        "Wir bieten keine Gutscheine für Bewertungen an.",
        "Mit haptischem Feedback und 20 % Rabatt bei Mengenbestellung.",
        "Vergleichen Sie die Bewertungen, bevor Sie die Größe wählen.",
        "Folgen Sie den Anweisungen in der Bedienungsanleitung.",
        "30 Tage Geld-zurück-Garantie – hinterlassen Sie uns gerne eine Bewertung.",
        "Die Bewertung der Wasserqualität erfolgt nach DIN-Norm.",
        "Es ist verboten, Gutscheine im Austausch für Bewertungen anzubieten.",
        "Geeignet für über 20 Personen.",
        "Für über 50 gleichzeitige Nutzer geeignet.",
        "Kompatibel mit der Instagram-App und TikTok.",
        "Folgen Sie der Anleitung im Handbuch.",
        "Passend für Audi TT und VW Golf.",
        "Kabel-Tester mit 10 % Rabatt im Set.",
        "Ideal für Buchclubs und Lesekreise, die gern Meinungen austauschen.",
        "Gefällt dir das Design? Über 2.000 Bewertungen sprechen für sich.",
        "Fragen? Kontaktieren Sie uns über Amazon.",
        "Kinder lieben es. Bewertungen lesen",
        "Danke für Ihre Bestellung! Wenn Sie mögen, teilen Sie Ihre ehrliche Meinung in einer Rezension bei Amazon.",
        "Amazon verbietet es, Gegenleistungen wie Gutscheine oder Rückerstattungen für Bewertungen anzubieten.",
        "Sie erreichen uns über die Amazon-Nachrichten.",
    ],
    "fr": [
        "Commandez maintenant sur Amazon.",
        "Un cadeau pour maman, noté 4,8 étoiles sur 2 000 avis.",
        "Livraison gratuite et retours gratuits sous 30 jours.",
        "Idée cadeau parfaite, livrée dans un coffret cadeau.",
        "Satisfait ou remboursé : politique de remboursement de 30 jours.",
        "Si vous avez un moment, nous apprécierions un avis honnête.",
        "Nous n'offrons aucune réduction en échange d'un avis.",
        "Réduction du bruit active et autonomie de 30 heures.",
        "Vendu séparément. Suivez les instructions du manuel.",
        "Bague en argent massif 925. Laissez-nous un avis si vous le souhaitez.",
        "Le cadeau parfait ; lisez les avis avant de choisir votre taille.",
        "Il est interdit d'offrir un cadeau en échange d'un avis.",
        "Idéal pour les clubs de lecture qui aiment partager leurs avis.",
        "Prêt après 10 minutes écoulées.",
        "Capacité : plus de 100 000 pages imprimées.",
        "Compatible avec l'application Instagram.",
        "Besoin d'aide ? Consultez le manuel.",
        "Vous aimez le café ? Plus de 2 000 avis.",
        "Amazon interdit d'offrir des produits gratuits ou des remboursements en échange d'avis.",
    ],
    "es": [
        "Más de 2.000 piezas para el hogar y la cocina.",
        "Regalo para mamá con más de 500 reseñas de 5 estrellas.",
        "Para leer las reseñas, visite la página del producto.",
        "Envío gratis y devoluciones gratuitas durante 30 días.",
        "Ideal para regalar, viene en caja de regalo.",
        "Política de reembolso de 30 días sin preguntas.",
        "Si tiene un momento, le agradeceríamos una reseña honesta.",
        "No ofrecemos ningún descuento a cambio de reseñas.",
        "Batería de larga duración y puntos de ajuste en la correa.",
        "Siga las instrucciones del manual antes del primer uso.",
        "El regalo perfecto; lea las opiniones antes de elegir su talla.",
        "Está prohibido ofrecer regalos a cambio de reseñas.",
        "Ideal para clubs de lectura que comparten opiniones.",
        "Siga las instrucciones del manual.",
        "¿Buscas un regalo? Este set tiene más de 2.000 reseñas.",
        "¿Te gusta el café? Esta cafetera tiene más de 2.000 opiniones.",
        "Amazon prohíbe ofrecer productos gratis o reembolsos a cambio de reseñas.",
        "La nueva novela de la autora best seller Laura Ríos, publicada en 2024.",
        "Si no está satisfecho, le devolvemos su dinero en 30 días.",
    ],
    "it": [
        "Un buono prodotto, recensioni ottime.",
        "Ideale come regalo per chi ama scrivere recensioni.",
        "Regalo per la mamma: oltre 300 recensioni a 5 stelle.",
        "Spedizione gratuita e reso gratuito entro 30 giorni.",
        "Idea regalo perfetta, in confezione regalo.",
        "Soddisfatti o rimborsati: politica di rimborso di 30 giorni.",
        "Se ha un momento, apprezzeremmo una recensione onesta.",
        "Non offriamo alcuno sconto in cambio di una recensione.",
        "Il vantaggio di questo modello è lo sconto pari al peso ridotto.",
        "Segui le istruzioni del manuale prima dell'uso.",
        "Il regalo perfetto: leggi le recensioni prima di scegliere la taglia.",
        "È vietato offrire sconti in cambio di recensioni.",
        "Perfetto per i club del libro che condividono opinioni.",
        "Compatibile con l'app Instagram.",
        "Segui le istruzioni sul manuale.",
        "Ti piace il caffè? Oltre 2.000 recensioni.",
        "Amazon vieta di offrire prodotti gratuiti o rimborsi in cambio di recensioni.",
        "Il nuovo romanzo dell'autrice bestseller Giulia Neri, uscito nel 2024.",
    ],
    "pt": [
        "Presente para a mãe, avaliado com 5 estrelas.",
        "Frete grátis e devolução grátis em 30 dias.",
        "Ótima opção de presente, vem em caixa de presente.",
        "Política de reembolso de 30 dias.",
        "Se tiver um momento, agradeceríamos uma avaliação honesta.",
        "Não oferecemos nenhum desconto em troca de avaliações.",
        "Emite nota fiscal e tem bateria de longa duração.",
        "Seu dinheiro de volta garantido. Deixe sua avaliação se quiser.",
        "É proibido oferecer brindes em troca de avaliações.",
        "Ideal para clubes do livro que compartilham opiniões.",
        "Compatível com o app do Instagram.",
        "Gosta de café? Mais de 2.000 avaliações.",
        "A Amazon proíbe oferecer produtos grátis ou reembolsos em troca de avaliações.",
    ],
    "nl": [
        "Bestel nu via Amazon; onze winkel in Utrecht is gesloten.",
        "Cadeau voor mama, beoordeeld met 5 sterren.",
        "Gratis verzending en gratis retourneren binnen 30 dagen.",
        "Perfect cadeau, geleverd in een cadeauverpakking.",
        "30 dagen niet goed geld terug.",
        "We stellen een eerlijke beoordeling op prijs.",
        "Wij bieden geen korting in ruil voor reviews.",
        "Korte kabel van 1 meter met een stevige stekker.",
        "Volg de instructies in de handleiding.",
        "30 dagen niet goed geld terug. Laat gerust een review achter.",
        "Het is verboden om kortingen te geven in ruil voor reviews.",
        "Ideaal voor boekenclubs die meningen delen.",
        "Geschikt voor meer dan 20 gebruikers tegelijk.",
        "Vind je koken leuk? Meer dan 2.000 reviews.",
        "Amazon verbiedt het aanbieden van gratis producten of terugbetalingen in ruil voor reviews.",
    ],
    "zh": [
        "能给我们写个评价吗？如有问题请联系我们。",
        "全国包邮，七天无理由退换。",
        "送礼佳品，配精美礼盒。",
        "支持30天无理由退款。",
        "如果方便，欢迎留下您的真实评价。",
        "我们不提供任何返现来换取评价。",
        "不锈钢材质，质量好，非常耐用。",
        "好评如潮的经典款，送朋友的好礼物。",
        "产品评价体系完善，质量可靠。",
        "满100元减10元，限时优惠。",
        "买家秀仅供参考，以实物为准。",
        "整机保修两年，可购买延保服务。",
        "质保延长至3年，详见保修卡。",
        "可承重50件衣物，收纳方便。",
        "型号A50000，功率1200W。",
        "套装包含120件工具。",
        "电池需单独购买，本品单独出售。",
        "可折叠上万次不断裂。",
        "使用寿命超过50000小时。",
        "售出商品7天无理由退换。",
        "支持微信支付和支付宝。",
        "添加微量元素，营养更均衡。",
        "增加V型槽设计，更稳固。",
        "加V领设计，显脸小。",
        "可连接微信小程序查看数据。",
        "来看看这款小红书风格的收纳盒。",
        "来自原产地，新鲜直达。",
        "无论您是否满意，都欢迎留下真实评价。",
        "在找礼物吗？这款套装已有2000多条评价",
        "亚马逊禁止以返现或赠品换取评论。",
        "感谢您的购买！无论好评差评，您的真实评价都能帮助其他买家。",
        "畅销书作家李明最新力作，2024年1月出版。",
    ],
    "ja": [
        "レビューを書いていただけますか？ご質問はAmazonのメッセージからどうぞ。",
        "Amazonでお買い求めいただけます。お求めやすい価格です。",
        "送料無料、30日間返金保証付き。",
        "プレゼントに最適なギフトボックス入り。",
        "よろしければ、率直なレビューをお寄せください。",
        "レビューに対する特典は一切ございません。",
        "取扱説明書付き、取り付け簡単。",
        "五つ星ホテルのような寝心地。",
        "水質の評価はISO規格に基づきます。",
        "1万円以上のお買い上げで送料無料。",
        "レビューでも高い評価をいただいています。",
        "LINE対応のスマートウォッチ。",
        "LINEやインスタの通知を表示します。",
        "取扱説明書の手順に従ってください。",
        "YouTubeで配信中の人気アニメのキャラクター。",
        "LINE公式アカウントとは関係ありません。",
        "公式ライセンス商品です。",
        "コーヒーはお好きですか？2000件以上のレビュー",
        "Amazonでは、レビューの見返りとして金銭や無料商品を提供することは禁止されています。",
        "ベストセラー作家・山田太郎の最新長編小説。2024年3月刊行。",
    ],
}

# English copy that borrows words of the other languages ("gratis", "bonus", "voto", "club") or shares a
# stem with them ("not" and Portuguese "nota"), read with every lexicon: none of these is a violation.
ENGLISH_GOOD = [
    "Do not use bleach. Not suitable for children under 3 years.",
    "Bonus pack with 2 extra refills, ideal gift set for coffee lovers.",
    "Club chair in genuine leather, top grain, 5-star hotel comfort.",
    "Sold separately: the charging dock and the premium carry case.",
    "Follow the instructions in the manual before first use.",
    "Visit any hardware store for replacement screws.",
    "Short cable, 1 m, with gratis adapter in the box.",
]


def _concept_only(spec):
    """Return a copy of a rule spec without its regular-expression patterns: only the lexicons find."""
    options = {k: v for k, v in spec.options.items() if k not in ("patterns", "exceptions")}
    return spec._replace(options=options)


@pytest.fixture(scope="module")
def full_rules():
    return RuleSet(Config(), specs=[s for s in specs_for(Config()) if s.name in RULES])


@pytest.fixture(scope="module")
def concept_rules():
    return RuleSet(Config(), specs=[_concept_only(s) for s in specs_for(Config()) if s.name in RULES])


def _rules_found(rules: RuleSet, text: str, lang: str | None = None) -> set[str]:
    """Lint text as a description on the language's marketplace (none: every language may be read)."""
    listing = Listing(fields=(Field(FieldKind.DESCRIPTION, text, 0),), text=text, path="<test>",
                      marketplace=MARKETPLACE.get(lang or ""))
    return {f.rule for f in rules.lint(listing) if f.rule in RULES}


# BAD includes cases that once showed engine limits, kept as regression cases: ``near`` counted each Han
# or kana character as a word ("インスタもフォロー", a coupon 34 characters after "レビュー"), and a Latin
# word glued to kana ("Amazonギフト券") swallowed the Japanese after it.
def _cases():
    return [
        pytest.param(lang, rule, text, id=f"{lang}-{rule}-{n}")
        for lang, per in BAD.items()
        for rule, texts in per.items()
        for n, text in enumerate(texts)
    ]


BAD_CASES = _cases()
GOOD_CASES = [pytest.param(lang, text, id=f"{lang}-good-{n}") for lang, texts in GOOD.items() for n, text in enumerate(texts)]


@pytest.mark.parametrize(("lang", "rule", "text"), BAD_CASES)
def test_bad_sentence_found_by_lexicon(concept_rules, lang, rule, text):
    assert rule in _rules_found(concept_rules, text, lang), f"{lang}: {rule} misses {text!r}"


@pytest.mark.parametrize(("lang", "rule", "text"), BAD_CASES)
def test_bad_sentence_reported_by_full_rule(full_rules, lang, rule, text):
    assert rule in _rules_found(full_rules, text, lang)


@pytest.mark.parametrize(("lang", "rule", "text"), BAD_CASES)
def test_bad_sentence_read_in_its_language(lang, rule, text):
    found = find_concepts(text, load_lexicons(bundled_lexicon_paths()), MARKETPLACE[lang])
    assert lang in found.langs
    assert any(occ.lang == lang for per in found.by_concept.values() for occs in per.values() for occ in occs)


@pytest.mark.parametrize(("lang", "text"), GOOD_CASES)
def test_good_sentence_not_reported(concept_rules, lang, text):
    assert _rules_found(concept_rules, text, lang) == set(), f"{lang}: {text!r}"


@pytest.mark.parametrize("text", ENGLISH_GOOD)
def test_english_copy_gains_nothing_from_other_lexicons(concept_rules, text):
    assert _rules_found(concept_rules, text) == set()


def test_line_breaks_inside_a_sentence_do_not_hide_an_offer(concept_rules):
    # A line break inside a field is not a sentence end: the review and the reward still meet.
    assert "review-incentive" in _rules_found(concept_rules, "Hinterlassen Sie eine Bewertung\nund erhalten Sie einen Gutschein.", "de")
    assert "review-incentive" in _rules_found(concept_rules, "レビュー投稿で\nクーポンプレゼント", "ja")


def test_full_width_forms_match():
    # NFKC: full-width digits and letters are read as their ASCII forms.
    assert "review-incentive" in _rules_found(
        RuleSet(Config(), specs=[_concept_only(s) for s in specs_for(Config()) if s.name == "review-incentive"]),
        "晒图好评返现５元", "zh",
    )


@pytest.mark.parametrize("lang", LANGS)
def test_every_concept_of_the_english_model_is_written(lang):
    english = set(tomllib.loads((LEXICONS / "en.toml").read_text("utf-8"))["concepts"])
    data = tomllib.loads((LEXICONS / f"{lang}.toml").read_text("utf-8"))
    assert data["language"] == lang
    missing = english - set(data["concepts"])
    assert not missing, f"{lang}.toml lacks {sorted(missing)}"


@pytest.mark.parametrize("lang", [lang for lang in LANGS if lang not in ("zh", "ja")])
def test_latin_languages_have_distinctive_stop_words(lang):
    data = tomllib.loads((LEXICONS / f"{lang}.toml").read_text("utf-8"))
    stop = data["stopwords"]
    # Enough function words that a short bullet in the language has one ("Bereits über 20.000 zufriedene Käufer
    # in ganz Deutschland" once had none and was read as English because of "in").
    assert 25 <= len(stop) <= 100 and len(set(stop)) == len(stop)
    english = set(tomllib.loads((LEXICONS / "en.toml").read_text("utf-8"))["stopwords"])
    # A word shared with English ("in", "a", "is") would read this lexicon into short English copy too.
    assert not set(stop) & english, sorted(set(stop) & english)


@pytest.mark.parametrize(("number", "large"), [
    ("80,000", True), ("50.000", True), ("1,250,000", True), ("25000", True), ("1000000", True),
    ("2019", False), ("5536", False), ("999", False), ("1,5", False), ("0800123456", False), ("01234", False),
    ("1,000.000", False),
])
def test_a_large_count_is_written_as_counts_are(number, large):
    """``##`` in a lexicon entry takes a count of a thousand or more, not a year, a model or a phone number."""
    from listing_lint.engine.lexicon import is_large_count

    assert is_large_count(number) is large
