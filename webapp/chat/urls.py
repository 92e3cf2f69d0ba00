from django.urls import path

from webapp.chat import views

graph_chat_urls = [
    path("<int:graph_id>/chats/", views.GraphChatListApi.as_view(), name="graph-chats"),
]

chat_urls = [
    path("<int:chat_id>/messages/", views.ChatMessageListApi.as_view(), name="chat-messages"),
]
